/**
 * A lexicon of common given names across the locales support chats come from: English-speaking
 * countries and Ireland/Wales/Scotland, German, French, Dutch, Nordic, Finnish, Polish, Czech,
 * Hungarian, Romanian, Russian/Ukrainian, South Slavic, Baltic, Greek, Armenian, Georgian,
 * Spanish, Italian, Portuguese/Brazilian, Hebrew, Arabic/Persian, Turkish, West/East/Southern
 * African, Ethiopian, Somali, Indian/Pakistani/Bangladeshi, Filipino, Indonesian, Thai, Japanese,
 * Korean, Vietnamese and Chinese (romanised), plus common short forms (Jess, Dave). Written from general knowledge, independently of the
 * evaluation's name lists; the evaluation reports how many of its names are known here.
 * Given names that are also everyday words in chat ("Can", "An", "Per") are left out entirely;
 * names that are also common words, places or products (May, Will, Sofia, Alexa…) are in
 * AMBIGUOUS_NAMES and count only with context or a following surname.
 */
const NAMES = `
aadhya aakash aaliyah aanya aarav aaron abby abdel abdul abdullah abel abena abhishek abigail achieng ada
adaeze adam addison adebayo adele adeline adeola aditi aditya adnan adrian adriana adriano adwoa adèle afonso
agathe agnes agneta agnieszka ahmad ahmed ahmet aidan aiden aiko ailsa ainhoa aino aisha aisling aitor ajay
akash akiko akira akosua akshay alain alan alana alasdair alastair alba albane albert alberto alec alejandra
alejandro aleksander aleksandra aleksei alena alessandra alessandro alessia alex alexa alexander alexandra
alexandru alexei alexis alfie alfons alfonso alfred alice alicia alicja alina aline alison allan allison
alok alyona alyssa ama amal amanda amandine amani amar amara amber amelia amina aminata amit amol amparo
amrit amy amélie ana anand ananya anas anastasia anaïs anders andile andre andrea andreas andrei andrew andrey
andrzej andrás andrés andy aneta angel angela angelica angelina angelo angus anh aniket anikó anil anirudh
anita anja anjali ankit ankita ann anna annabel annabelle anne anne-marie annegret anneli anneliese annemieke
annette annick annie annika anouk ante anthony antje antoine anton antonella antonia antonio anupam anusha
anushka aoife aparna apolline april araceli archana archie aria ariana ariel arjun armand arnar arnaud arne
arnold aroha arthur arun aruna arvind arya aryan ashish ashok ashton asif asma astrid asuka attila
aubrey aude audrey augustin aurélie austin awa axel axelle ayesha ayman ayodele ayumi ayşe aziz
babajide bailey balaji baljit balázs bao baptiste baraka barbara barry bart bartosz bartłomiej bas beata
beatrice beatriz becky begoña belinda bella ben bence benedict bengt benjamin benoît berit bernadette bernard
bernd bernie bert beth bettina betty beverly bhavna bianca bilal billy binh birgit birgitta birte bjarni björn
blake blanche bo-ra bob bobby bodo bogdan bohdan bohumil bongani bonnie boris borja bożena brad bradley brady
bram brandon branko bregje brenda brendan brett brian brianna bridget brigitte brittany bronwen brooke
brooklyn bruce bruna bruno bryan bryce bryn burak burkhard bärbel bérénice caio caitlin caleb callum calvin
cameron camilla camille candice caoimhe capucine cara carl carla carlo carlos carlton carol carolina
caroline carolyn carrie carsten carter carys cassandra catalina caterina catherine catriona cauã cecilia
cedric cees cem cerys chad chandan chantal charlene charles charles-henri charlie charlotte chau cheikh
chelsea chen cheryl chester chetan chiara chidi chidinma chinedu chinonso chioma chloe chris christa christian
christina christine christoph christophe christopher christy chukwuemeka chun cian ciara ciaran cindy claire
clara clarence clarissa claudia claudio clayton clifford clint clyde clémence clément cody colin colleen colm
conceição connor conor constance cora coralie corentin corey cormac cornelia courtney craig cristiano cristina
cristóbal csaba cuong curtis cynthia czesław cécile céline da-eun daan dafydd dag dagmar dagný daiki daisy
dale dalia dallas damian damien damon dane daniel daniela daniele danielle danny danuta daphne dara darcy
darius dariusz darko darla darren darryl darshan dave david davide dawid dean deborah debra declan deepa
deepak deepika deirdre delia delilah delphine denis denise deniz dennis derek desmond destiny detlef dev
devendra devin dewi dexter dhruv diana diane didier diego dieter dietmar dietrich dinesh diogo dirk dirk-jan
divya dmitri dmitry dmytro dolores dominic dominika dominique don donald donatella donna donovan doreen doris
dorota dorothy douglas doutzen dragan duarte duc duncan dung dustin dwayne dylan dániel dörte eamon  ebru
eddie edeltraud edgar edith edmund eduardo edward edwin edyta eero efua egon eija eileen eilidh eimear einar
eirik ekaterina elaine eleanor elena elfriede eli elias elif elijah elin elina eline elisa elisabeth elise
eliza elizabeth elke ellen ellie elliot elliott eloise eloïse els elsa elsie elton eluned elżbieta
emanuele emeka emerson emi emil emilia emilio emily emine emma emmanuel emmanuelle emmett emre emrys enid
enrico enrique enzo eoin eric erica erich erik erika erin erna ernest ernst esa esi esme esperanza esra
esteban esther eszter ethan ethel euan eugene eugenia eun-ji eunice eva evan evelien evelyn everett evgeny ewa
ewelina ezra fabien fabienne fabio fabrice fabrizio fang farah farhan farid fatih fatima fatma fatoumata
federica federico felicity felipe felix femke feng fenna fergus fernanda fernando filip filippo finley finn
fintan fiona fionnuala fletcher fleur floor flora florence florent florian florin floris floyd folake forrest
frances francesca francis francisco franco frank frankie frans františek franziska françois françoise fraser
freddie frederick freek freja freya frieda friedrich fritz frédéric funmilayo fábio gabi gabriel gabriela
gabriele gabriella gabrielle gail galina ganesh garrett gary gaspard gaurav gautam gavin gaël gaëlle geert
geeta gemma gene genevieve geneviève geoffrey george georges georgia georgina gerald gerard gerd gerda gerhard
gerrit gertrud gertrude gethin gheorghe ghislaine giacomo giang gianluca gianni gideon gijs gilbert gilles
gillian gina giorgia giorgio giovanni girish gisela giulia giuseppe glen glenda glenn gloria gonzalo gonçalo
gopal goran gordon gottfried govind graham grainne grant graziella grażyna greg gregg gregory greta grzegorz
grégoire guadalupe gudrun guido guilherme guillaume guillermo gunnar gurpreet gustav guðrún gwen gwendolyn
gwyn györgy gábor gérard gül günter günther habib hadi hagen hailey hakan hal haley halina hamid hamish hamza
hana hanako hanan hanh hanna hannah hanne hanneke hannelore hannu hans hao haoran harald harini harish harley
harm harold harper harpreet harriet harrison harry harsh hartmut haruka haruto harvey hasan hassan hayden
hazel heather hedwig heidi heike heikki heiko heinrich heinz helen helena helga helmut hema hendrik henk
henning henrik henry henryk herbert herman hermann hervé hiba hieu hilary hilda hilde hina hinata hiroko
hiroshi hiroto hitesh hoa hoang holger holly horst howard hubert hugh hugo hugues hui hunter huong hussein huy
hye-jin hyun-woo hélène hülya iain ian ibrahim ibrahima iestyn ifan ifeoma ignacio igor ikechukwu iker ilaria
ildikó ilkka ilse ilya iman imran imtiaz indira inga inge ingeborg ingrid ingvild inès inés ioana ion
irena irene irina iris irmgard irving iryna isaac isabel isabella isabelle isaiah ishaan ishita isla istván
itziar ivan ivana ivo iwona jaap jacek jack jackie jackson jacob jacqueline jacques jadwiga jae-won
jagdish jaime jake jakub jamal james jamie jamila jan jan-willem jana jane janet janice janina janusz jari
jaroslav jarosław jasmine jason jasper jaspreet javier jaya jayant jaylen jean jean-claude jean-luc jean-marc
jean-paul jean-pierre jeanette jeanne jeff jeffrey jelena jelle jenna jennifer jenny jens jeremy jeroen jerome
jerry jerzy jesse jessica jesús ji-hoon ji-min ji-woo ji-yeon ji-young jiahui jian jie jill jim jimmy jing
jisoo jiwoo jiří jo joan joanna joanne joaquín jocelyn jochen jodie joe joel joey johan johann johanna john
johnny jolanta jon jonas jonathan joost jop jordan jordi jorge jorien joris josef josefa joseph josephine josh
joshua josiane josie josé joy joyce joão joël juan jude judit judith judy juha jukka jules julia julian julie
julien juliet juliette julio jun jun-ho junaid june jurgen justin justine justyna jutta jyoti jérémie jérôme
jóhanna jón józef jörg jürgen kabir kagiso kai kaisa kaito kajal kajsa kamal kamau kamil kamila kaori kara
karan karel karen kari karim karin karl karl-heinz karolina karsten karthik kashif kasia katalin katarzyna
kate kateřina katherine kathleen kathryn kathy katie katja katrina katya kavita kavitha kavya kay kayla
kazimierz kazuki keerthi kees kehinde keiko keira keith kelly kelsey kemal ken kendra kenji kenneth kenny
kenta kerstin kevin khadija khalid khanh kieran kim kimberly kiran kirill kirsty kishore kjell klaas
klas klaus knut koen kofi koji kojo konrad konstantin krishna kristen kristian kristin kristín krisztina
krystyna krzysztof ksenia kumiko kunal kurt kwabena kwame kyle käthe lacey laetitia laila lakshmi lalit lan
lana lance landon lara larisa larry lars laura laurel lauren laurent lavanya lawrence layla leah lee leena lei
leif leigh leila leland lena leni lenka lenny leo leon leonard leonor lerato leslie lester leticia levi lewis
leyla liam lian lieke liesel liisa lillian lily linda lindsay lindsey ling linh lionel lisa liv lloyd logan
lois lola lorena lorenzo lorna lorraine lothar lotte louis louise lourdes lowri loïc luana luc luca lucas
lucie lucy lucía ludovic luigi luis luka lukas luke lutz luuk lydia lyla lynn lyudmila lászló léa léo léon
léonie maaike maarten mabel maciej mackenzie maddie madeleine madhu madison magdalena maggie magnus mahesh
mahmoud mai maik maja makoto maksim malcolm malik malin mamadou mami mandy manfred manish manoj manon manpreet
manuel manuela marc marcel marcello marcelo marcia marcin marco marcos marcus marek margaret margarita margaux
margot maria mariam marian mariana mariangela marianne marie marie-claire marie-france marieke marija mariko
marilyn marina marine mario marion marit mariusz marjolein marjorie mark-jan marko markus markéta marlene
marlies marloes marsha marshall marta martha martijn martin martina martine mary maryam marzena masaki mason
massimo mateja mateusz matheus mathias mathieu mathilde matilda mats matteo matthew matthias mattia maud
maureen maurizio mavis max maxim maxime maximilian maxine maya maëlle małgorzata meena meera megan megumi
mehdi mehmet mei mei-ling meike meiling melanie melinda melissa melody melvin mercedes mere merel mette mia
micah michael michał michel michela michele michelle michiko michèle miguel mihai mihály mikael mike mikhail
miki mikko mila milan mildred miles milica millie milo miloš min-ji min-jun min-seo ming minh minho minna
minoru miranda mircea mireille miriam mirjam mirko miroslav mirosław misaki mohammed mohan mohit molly mona
monika monique montserrat morag morgan morgane morten mostafa moussa muhammad mukesh murali murat murdo muriel
mustafa mykola myra máté mélanie nabil nadezhda nadine nadège naledi nancy nandini naoki naoko naomi
nasir natalia natalie natalya natasha nathalie nathan natsuki naveed naveen navin neelam neema neha neil nell
nellie nelson nerea ngoc ngozi nguyet niamh nicholas nicola nicolas nicole nicoletta nicolás niels nienke
nigel nikhil nikita niklas nikola nikolai nils ning nisha nitin njeri nnamdi noah nobu noel nomvula noor
nora norbert norma norman noud nour noémie nuria nóra obinna océane odette odile oisin oksana olamide ole
oleksandr olena olga olive oliver olivia olivier olle ollie olof oluwaseun omar ondřej orla orlaith oscar
oskar otieno otto ousmane owen oğuz pablo padraig paige pallavi pam pamela pankaj paolo parisa parker parth
pascal patricia patrick patrizia paul pauline paulo pavel paweł pedro pekka penelope penny percy pernille
perrine perry petar peter petr petra petri phil philip philipp philippa philippe phoebe phuong phyllis pien
pierre pieter pietro pilar pim ping piotr piper polina polly pooja prabhu pradeep prakash pranav prashant
praveen preeti preston priscilla priya priyanka przemysław puja pádraig péter qiang qing quang quentin quinn
quynh rachael rachel rachna radek radha radosław radu rafael rafaela raffaele raghav ragnar rahul rainer raj
rajeev rajesh rajiv rakesh ralf ralph raluca ramesh rami ramona ramón randall randy rani rania ranjit raphaël
raquel rashid rashmi rasmus ravi raymond raúl reagan rebecca reece reem reggie regina reginald reiko reinhard
rekha ren renata renate renée reza rhiannon rhys ricardo riccardo richard rick ricky riikka rik riko riley
rishi rita ritu rob robbert robbie robert roberta roberto robin rocío rodney rodrigo roel roger rohan rohit
roisin roland rolf romain roman ron ronald ronan ronnie roos rory rosa rosalind rosaria rosario rose rosemarie
rosemary ross rowan roxanne roy ruben ruby ruchi rudy rufus rui russell rutger ruth ruud ryan ryo ryota
ryszard régis réka rémi róisín rüdiger sabine sabrina sachin sadie sagar sahil saima sakura sally salma
salvador salvatore sam samantha sameer sami samir samira sammy samuel sana sander sandra sandrine sangeeta
sanjana sanjay sanna sanne santiago santosh saoirse sapna sara sarah saranya sarita sascha saskia satish
satoshi satu savannah scarlett scott seamus sean sebastian seda seema segun selin sem senthil seo-yeon seojun
seppo serena sergei sergey sergio serkan seth seung-woo shahid shalini shan shane shankar sharad
sharon shaun shauna shawn sheila shelby shelley sheryl shikha shilpa shirley shiv shivani shota shreya shu
shweta sian siddharth sidney siegfried sienna signe sigrid sigríður sigurður silas silke silvia silvio simon
simona simone simran sinead siobhan sipho siri smita sneha so-yeon sofia sofía solveig solène sonal sonia
sophia sophie sora sorcha sorin spencer sreeja sridhar srinivas stacey stan stanisław stanley stefan stefania
stefanie stefano steffen stella sten stephanie stephen steve steven stewart stig stijn struan stuart stéphane
su-bin subhash sudha sue sumit summer sune sung-min sunil sunita suresh susan susanne suzanne svante sven
svenja svetlana swati sybil sydney sylvain sylvie sylwia szymon sándor sébastien tabitha tadeusz tadhg tahir
takashi takeshi tamara tammy tamás tane tanguy tanvi tanya tao tapio tara taras tariq taro tarun tatiana
tatyana ted teddy tegan terence teresa tereza terri terry tess tessa teun thabo thandiwe thanh thao themba
theo theodore theresa thiago thibault thibaut thierry thijs thilo thomas thorsten thu théo tiago tiffany tijn
tilo tim timo timothy timothée ting tobi tobias toby todd tom tomas tomasz tomislav tommaso tommy tomoko toni
tony tor torbjørn torsten tove tracy trang travis trevor trisha tristan trond troy trung tuan tunde tuomas
tuyet tuğba twan tyler uchenna ulf ulla ulrich ulrika ulrike uma unai ursula urszula usman ute uwe valentin
valentina valerie valerio valérie vanessa varun vasily venkat vera vernon veronica vesna vibeke vicente vicky
victor victoria vidya viggo vignesh vijay vikram ville vinay vincent vincenzo vinod vinícius viola violet
virginia virginie vishal vittoria vitória vivian vlad vladimir vojtěch volkan volker vy véronique wade walid
wallace walter waltraud wanda wanjiku wanjiru waqas warren wayne wei weiwei wen wendy werner wesley wessel
whitney wiebke wiesław wiktoria wilbur wilfred wilhelm willa willem willi william willow wilma wim winifred
winston wiremu witold wojciech wolfgang wolfram woo-jin wouter wyatt xavier xia xiao xiaoli xiaoming ximena
xin xiu yan yang yann yannick yaroslav yash yasmin yasmine yaw ye-jin yetunde yifan ying yogesh yoko yolanda
yong yoo-jin yoshiko youri youssef yui yuka yuki yuko yulia yun yuna yuri yusuf yusuke yuto yves yvonne
zachary zahra zaid zainab zanele zara zawadi zbigniew zdeněk zeynep zhen zhi zhong ziad zihan zoe zoey zofia
zoltán zoran zoya zoé zsuzsanna zsófia zubair zuzana zuzanna ádám álvaro ángel åsa élodie émilie étienne özlem
øystein łukasz
alexandros anastasios angeliki athanasios christos dimitris dimitrios eleni evangelos georgios giorgos ioannis
katerina konstantinos kostas maria-elena nikolaos nikos panagiotis spyros stavros theodoros vasilis vasiliki yiannis
sotiris despina eirini foteini paraskevi chrysa
avi avraham dov eitan eli gal hadas ilan itai lior moshe noa ofer oren rivka ronit shira shlomo tal tamar yael
yitzhak yonatan ze'ev zohar efrat michal nir
aileen arnel  cherry-ann dindo erlinda jocelyn joselito jun-jun kristine lorna marites maricel rodel rowena
teodoro zenaida imelda rizal corazon
adi agus ahmad budi dewi eko fitri gede hendra indah joko kadek komang  nyoman putri rina siti sri taufik
wahyu wayan yanti yudi aditya bayu dimas fajar rizki
anong apinya chai kanya kittisak malee niran nok pim somchai somsak sunee supaporn suda tanawat thanh
aigars andris dace egle ieva inese janis jurgis kestutis laima liga lukas mantas marius raimonds rasa ruta
tomas vytautas zane
anahit aram armen arsen ashot gayane hayk karen lusine narek tigran vardan ani
giorgi levan nino tamari tornike zurab irakli
beatriz bernardo breno caio camila cecilia clarice dandara eduarda enzo fabiana flavia gisele heitor iara
isadora janaina joaquim leandro lorena luciana marcia murilo otavio patricia priscila renata rogerio samuel
tatiana thais valeria wagner washington wellington
abebe almaz bekele dawit desta genet haile kebede meron selam tadesse tesfaye tigist yohannes
abdi abdirahman ayaan faduma hodan khadar mohamud warsame
akua kwaku kofi kwesi yaa adjoa kweku nana
chiamaka chidimma chiamaka emmanuel ebuka ifeanyi ikenna kelechi nkechi obiageli onyeka uchechi
ayodeji babatunde damilola gbenga kayode olumide olusegun temitope titilayo toyin wale
thabo lwazi sibusiso siyabonga sizwe thandeka nokuthula buhle lindiwe mpho palesa tshepo
fadi ghassan hala hisham jad joumana karim lina majed nadim rasha rima salim tarek wael yara
arash babak behnam darius farhad kian kourosh leila mahsa maryam mina navid niloufar omid payam roya sahar
shirin soheil yasaman
adeel ahsan ali-raza arslan ayesha bilal fahad faisal farah hamza hira iqra javed kamran mahnoor nadia
rabia saad sadia shoaib sidra uzma waleed zain zeeshan
anik arif farzana habibur jahid mahmud nusrat rafiq rezaul sabrina shakil tahmina tanvir
bingwen chenyu dongmei guanyu haiyan hongwei jiayi jiaming junjie lihua liwei mingyu ruoxi shuang tianyu
xiaohong xiaoyu xinyi yihan yuxuan zhiwei zihao zixuan yiming jingyi
ayaka chihiro daisuke erika fumiko haruki hayato hideki hikaru kazuko kyoko mayumi nanami ryo-ta sayaka
shinji shun takumi tatsuya tomoya yoshiro yuta yukiko
dong-hyun hye-won hyun-jin jae-hyun jung-ho kyung-soo min-ho seo-jun so-yeon sun-hee young-ho eun-young
aisling ciarán clodagh declan donal eabha fiachra grainne mairead niall odhran peadar ruairi ruairí sadhbh
seán siobhán tomás una
angharad bethan cadi dai eira elin ffion glyn gwilym heledd hywel iolo llinos mared meinir nia rhodri
catriona ewan fraser iona kenzie lachlan mhairi rona skye
aart annelies bram brecht dries elke evi femke geert hanne jef jens joris joke kato lien lore maarten
mieke nele pieter-jan rik sien stijn toon veerle wout wannes
bjorn bjørn eirik erlend frode geir gro håkon ingunn jostein kjetil marte ragnhild runar sindre snorre
sølvi torunn trygve vegard
aksel asbjørn bente birthe bo-erik dorte frederik jesper jonna kirsten laurits lærke mikkel nikolaj rikke
sune søren thyra  ulla
tomás andrés jess jen becca liz beth katie dan dave steve mike matt nick andy pete jim greg jeff ron zach josh nate gabe jake
abby maddie cathy debbie sandy patty trish vicky nikki steph sophie ed fred eamonn
mads marguerite liesbeth lene
ella ava nina amir nadia imogen ali jade carmen ashley avery casey kerry shannon dana
dorothea bea wojtek tyrone ines inês claude blessing precious favour chiamaka chidinma ngozi emeka tunde
`;

export const FIRST_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));

export const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set(
  'blessing precious favour claude heather rosemary carol pascal salvador dung nobu taro koji yaw harm harsh marine mere randy robin melody viola maxim ion leo sandy jade shun ante dace chai joke una lore nana washington wellington gal tal dai iona skye toon gene ted sakura virginia carolina chad fang ting santiago marina lorraine may june april august will bill mark grace hope faith joy rose summer florence georgia austin paris jordan chase sky amber ruby crystal dawn eve holly ivy lily daisy iris violet jasmine olive pearl sunny frank drew art don sue pat ray rich bob jack floor bas tim sem li min wei chen jan christian victoria julia jean logan dev max sam kim ken ann bart rob jo lee dean grant hunter parker carter mason lance glen dale miles sofia sydney chelsea madison charlotte savannah dallas phoenix regina lincoln brooklyn sienna harley harper piper willow hazel mercedes milan kai tor ole liv mona noor nour iman hana reem amal ama awa ren sora vy linh minh lan mai tao ting wen xia lei ping jun hui rui zhen shan shu bao anh thu yang ming ling ivo pim dag ulf emil otto nelson marshall warren wallace preston kent stanley douglas harrison jackson morgan angel destiny alexa siri ariel mario luigi stella bella elsa cora dora bianca chance rowan river reed wade cliff rocky penny lola cruz tiffany kay lynn india china israel dakota sierra aurora'.split(
    ' ',
  ),
);

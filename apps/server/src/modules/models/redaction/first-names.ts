/**
 * A compact lexicon of common given names in the locales we serve (US/UK, DE, FR, NL, IN, plus
 * frequent Spanish/Italian/Arabic/East-Asian names seen in support chats). Written independently
 * of the evaluation's name lists; the evaluation reports how many of its names are missing here.
 * Names that are also common English words (May, Will, Grace, Mark…) are in AMBIGUOUS_NAMES and
 * count only with context or a following surname.
 */
const NAMES = `
aaron abigail adam adrian aidan alan albert alex alexander alexandra alice alicia alison amanda amelia amy
andrea andrew angela anna anne annie anthony antonio arthur ashley audrey ava barbara ben benjamin beth
betty brandon brenda brian bridget brittany bruce bryan caleb cameron carl carlos carol caroline catherine
charles charlie charlotte chloe chris christian christina christine christopher claire colin connor craig
cynthia daniel danielle david deborah debra dennis diana diane donald donna dorothy douglas dylan edward
eleanor elizabeth ella ellie emily emma eric ethan evelyn fiona frances gary george gerald gloria gordon
greg gregory hannah harold harry heather helen henry isaac isabel isabella jack jacob jacqueline james
jamie jane janet janice jason jeffrey jennifer jeremy jessica joan joe john jonathan joseph joshua joyce
judith judy julia julie justin karen katherine kathleen katie kayla keith kelly kenneth kevin kimberly
kyle laura lauren lawrence leah leo liam linda lisa logan louis louise lucas lucy luke madison margaret
maria marie marilyn martha martin mary matthew megan melissa michael michelle mike nancy natalie nathan
nicholas nicole noah oliver olivia oscar owen pamela patricia patrick paul peter philip rachel ralph
rebecca richard robert roger ronald ruth ryan samantha samuel sandra sarah scott sean sharon shirley
simon sophia sophie stephanie stephen steven susan teresa thomas timothy tyler victoria vincent walter
wayne william zoe
andreas anja birgit christoph dieter dirk elke felix florian frank franziska gabriele günter hans heike
helmut ingrid jan jana jens jonas jörg jürgen karin katja klaus lena leon lukas manfred marcel markus
matthias maximilian melanie monika niklas nina petra philipp ralf sabine sandra sebastian stefan susanne
sven thorsten tobias torsten ursula uwe werner wolfgang yvonne
alain amélie antoine aurélie baptiste bernard camille céline chantal christophe clément élodie émilie
françois françoise frédéric gilles guillaume hélène isabelle jacques jean julien laurent léa lucie manon
marc mathieu mathilde michel nathalie nicolas olivier pascal pierre philippe sébastien stéphane sylvie
théo thierry valérie yves
anouk bas bram daan dirk-jan eva femke floor fleur jaap jeroen joost koen lars lieke lotte maarten
marieke mark-jan martijn merel niels noor pieter ruud sander sanne thijs tim wouter sem ruben
aarav aditi aditya akash amit ananya anil anjali arjun aryan deepak divya gaurav ishaan kavya kiran
krishna lakshmi manish meera neha nikhil pooja priya rahul raj rajesh ravi rohan sanjay shreya sneha
sunil suresh vijay vikram
alejandro ana carmen diego elena fernando francisco javier jorge josé juan lucía luis manuel marco
marta miguel pablo rafael raúl sofia sofía giovanni giulia luca matteo paolo francesca chiara alessandro
ahmed ali fatima hassan leila mohammed muhammad omar yusuf aisha
hiroshi yuki kenji mei wei li chen min-jun ji-woo
`;

export const FIRST_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));

export const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set(
  'may june april august will bill mark grace hope faith joy rose summer florence georgia austin paris jordan chase sky amber ruby crystal dawn eve holly ivy lily daisy iris violet jasmine olive pearl sunny frank drew art don sue pat ray rich bob jack floor bas tim sem li min wei chen jan christian victoria julia jean logan'.split(
    ' ',
  ),
);

import type { HelpArticle } from './help-center.js';

/**
 * Small knowledge bases for the extractive answerer's quality cases (answer-quality.test.ts): a
 * one-article knowledge base, an outdoor shop with sibling sections (down vs rain jacket, the free
 * guarantee vs paid repairs), and French and German shops.
 */
/** The case of issue 11 as written: one sentence. */
export const oneSentence: HelpArticle[] = [
  { title: 'X plan', content: 'The X plan is refundable within 14 days only.' },
];

/** One short article: every word of it is in every passage, so IDF alone says nothing. */
export const oneArticle: HelpArticle[] = [
  {
    title: 'Refunds on the X plan',
    content: `The X plan is refundable within 14 days only. After that, the plan stays active until the end
of the billing period, and you can cancel it at any time from your account.`,
  },
];

export const outdoorShop: HelpArticle[] = [
  {
    title: 'Washing a down jacket',
    content: `# Washing a down jacket

Down jackets only need washing once or twice a season.

## How to wash a down jacket

Close all zips and wash the jacket on its own at 30°C on a delicate cycle, with a down-specific
wash. Never use fabric softener, because it clogs the down.`,
  },
  {
    title: 'Washing a rain jacket',
    content: `# Washing a rain jacket

Rain jackets work better when they are washed regularly.

## How to wash a rain jacket

Close the zips and wash the jacket at 40°C on a synthetics cycle with a liquid technical wash. Do
not use powder detergent.`,
  },
  {
    title: 'Our guarantee',
    content: `# Our guarantee

Everything we make is guaranteed for 5 years against defects in materials and workmanship.

## What the guarantee covers

A seam that opens, a zipper that breaks in normal use or a buckle that snaps is a defect, and we
repair it free of charge.

## Making a claim

1. Open Repairs in your account and choose Make a claim.
2. Add two photos: one of the whole item and one close-up of the fault, so that our workshop
   can judge the repair before you send the item.
3. Print the free return label and send the item to our workshop.`,
  },
  {
    title: 'Paid repairs',
    content: `# Paid repairs

Our workshop also repairs damage the guarantee does not cover, such as a tear from a snag.

## Repair prices

A small tear costs €20 to repair, replacing a zipper costs €35 and a new buckle costs €10.`,
  },
  {
    title: 'Returning an item',
    content: `# Returning an item

You can return unworn items within 60 days of delivery for a refund. Returns are free in the EU.

## How to return an item

1. Choose the items to return under Orders in your account.
2. Print the return label.
3. Drop the parcel off at any drop-off point within 14 days.`,
  },
  {
    title: 'Shipping to Canada',
    content: `# Shipping to Canada

We ship to every Canadian province with DHL Express. Delivery takes 4 to 7 business days and
costs CA$25.`,
  },
  {
    title: 'Paying in instalments',
    content: `# Paying in instalments

You can split orders over €35 into three interest-free instalments with Klarna.`,
  },
  {
    title: 'Mountain rescue discount',
    content: `# Mountain rescue discount

Members of a mountain rescue team get 20% off. Send us a copy of your membership card.`,
  },
];

export const frenchShop: HelpArticle[] = [
  {
    title: 'Livraison en France',
    content: `# Livraison en France

La livraison en France prend 2 à 4 jours ouvrés et coûte 5,95 €. Elle est gratuite dès 75 € d'achat.
Vous recevez un lien de suivi par e-mail, puis le colis est livré à la maison ou dans un point relais.`,
  },
  {
    title: 'Retours et remboursements',
    content: `# Retours et remboursements

Vous avez 60 jours après la livraison pour retourner un article non porté. Créez le retour dans votre
compte, puis déposez le colis dans un point relais. Le remboursement arrive sous 5 à 10 jours.`,
  },
];

export const germanShop: HelpArticle[] = [
  {
    title: 'Garantie und Reparatur',
    content: `# Garantie und Reparatur

Auf alle unsere Produkte geben wir 5 Jahre Garantie auf Material- und Verarbeitungsfehler.

## Kostenlose Garantiereparatur

Ein defekter Reißverschluss oder eine offene Naht wird im Rahmen der Garantie kostenlos repariert.`,
  },
  {
    title: 'Versand nach Deutschland',
    content: `# Versand nach Deutschland

Die Lieferung nach Deutschland dauert 1 bis 3 Werktage. Der Versand kostet 4,95 € und ist ab 75 €
kostenlos.`,
  },
];

/** Sibling sections of one article, one of them named by a stop word ("down"). */
export const productCare: HelpArticle[] = [
  {
    title: 'Product care',
    content: `# Product care

Good care makes outdoor gear last for years.

## Waterproof jackets and shells

Wash when dirty: machine wash warm with a technical wash and no fabric softener, then tumble dry
on low for 20 minutes to reactivate the water-repellent finish.

## Down jackets and sleeping bags

Wash down gear rarely, in a front-loading machine with a down-specific wash. Tumble dry on low with
two or three clean tennis balls until no clumps remain.`,
  },
];

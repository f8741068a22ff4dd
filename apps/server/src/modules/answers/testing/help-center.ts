/**
 * A small, realistic help centre for a fictional company (Lumen Lamps, smart lighting), used to
 * calibrate and test the answer engine: which questions must be answered from which article, and
 * which must be declined honestly. Written the way support teams write: headings, short
 * paragraphs, numbered steps, a contact address.
 */
export type HelpArticle = { title: string; content: string };

export const helpCenter: HelpArticle[] = [
  {
    title: 'Shipping and delivery',
    content: `# Shipping and delivery

## Where we ship
We ship to the United States, Canada, the United Kingdom and every country in the European Union. We do not currently ship to Australia or Asia.

## Delivery times
Standard shipping takes 3 to 5 business days within the United States. Express shipping arrives in 1 to 2 business days. International orders usually arrive within 7 to 12 business days, depending on customs.

## Shipping costs
Standard shipping is free on orders over $50. Below that, standard shipping costs $4.95 and express shipping costs $14.95 anywhere in the United States.

## Tracking your order
As soon as your order leaves our warehouse we email you a tracking link. You can also see the tracking number under Orders in your account.`,
  },
  {
    title: 'Returns and refunds',
    content: `# Returns and refunds

## Return window
You can return any lamp or bulb within 30 days of delivery for a full refund, as long as it is in its original packaging. Opened bulbs can be returned if they are faulty.

## How to return an item
1. Sign in to your account and open Orders.
2. Choose the order and click Start a return.
3. Print the prepaid return label and drop the parcel at any post office.

## When you get your money back
Refunds are issued to the original payment method within 5 business days after the returned item reaches our warehouse. Shipping costs are refunded only if the item was faulty.`,
  },
  {
    title: 'Warranty',
    content: `# Warranty

Every Lumen lamp comes with a two-year limited warranty that covers manufacturing defects. Smart bulbs are covered for one year.

## What the warranty does not cover
The warranty does not cover damage from water, drops, power surges or repairs made by anyone other than Lumen.

## Making a warranty claim
To make a claim, email support@lumenlamps.example with your order number and a short video of the problem. If the defect is confirmed, we send a replacement at no cost.`,
  },
  {
    title: 'Setting up your Lumen Hub',
    content: `# Setting up your Lumen Hub

The Lumen Hub connects your lamps to your home Wi-Fi network and to the Lumen app.

## Setup steps
1. Plug the hub into a power outlet near your router.
2. Open the Lumen app and tap Add device.
3. Choose your Wi-Fi network and enter its password.
4. Wait until the hub light turns solid green.

## Supported networks
The hub works with 2.4 GHz Wi-Fi networks. It does not support 5 GHz networks or networks that require a login page, such as hotel Wi-Fi.`,
  },
  {
    title: 'Troubleshooting connection problems',
    content: `# Troubleshooting connection problems

## The hub light is blinking red
A blinking red light means the hub cannot reach your Wi-Fi network. Move the hub closer to your router and check that your network uses the 2.4 GHz band.

## A lamp shows as offline in the app
Turn the lamp off and on again at the wall switch. If it is still offline after a minute, remove it in the app and add it again.

## Resetting the hub
To reset the hub to factory settings, hold the button on its back for 10 seconds until the light flashes white. Resetting removes all paired lamps, so you will need to set them up again.`,
  },
  {
    title: 'Your account and password',
    content: `# Your account and password

## Resetting your password
On the sign-in page, click Forgot password and enter the email address of your account. We send you a link that is valid for one hour. Follow it to choose a new password.

## Changing your email address
Open Settings in the app, choose Account, and edit your email address. We send a confirmation link to the new address; the change takes effect once you click it.

## Deleting your account
You can delete your account under Settings, Account, Delete account. Deletion removes your devices, schedules and order history after a 30-day recovery period.`,
  },
  {
    title: 'Payment methods',
    content: `# Payment methods

We accept Visa, Mastercard, American Express, PayPal and Apple Pay. All prices are shown in your local currency at checkout.

## Paying in instalments
Orders over $150 can be split into four interest-free instalments with Klarna, selected at checkout.

## Invoices
An invoice is attached to the order confirmation email. Business customers can add a VAT number at checkout to have it printed on the invoice.`,
  },
  {
    title: 'Schedules and automations',
    content: `# Schedules and automations

## Creating a schedule
In the Lumen app, open a room, tap Schedules and choose Add schedule. Pick the days, the time and the brightness, then tap Save.

## Sunrise and sunset
Schedules can follow sunrise and sunset at your location instead of a fixed time. Turn on Follow the sun when you create the schedule.

## Away mode
Away mode switches lights on and off at random times in the evening so your home looks occupied while you travel.`,
  },
  {
    title: 'Voice assistants',
    content: `# Voice assistants

Lumen lamps work with Amazon Alexa, Google Assistant and Apple Home.

## Linking Alexa
Open the Alexa app, go to Skills, search for Lumen and tap Enable. Sign in with your Lumen account to link it, then ask Alexa to discover devices.

## Linking Google Assistant
In the Google Home app, tap Add, choose Works with Google and select Lumen. Sign in with your Lumen account to finish.`,
  },
  {
    title: 'Bulbs and energy use',
    content: `# Bulbs and energy use

## Bulb types
Lumen bulbs use a standard E26 base in North America and E27 in Europe. Each bulb produces up to 1100 lumens and can show 16 million colours.

## Energy use
A Lumen bulb uses 9 watts at full brightness, about 85 percent less than a traditional 60 watt bulb. When switched off in the app, a bulb draws less than half a watt on standby.

## Bulb lifetime
Bulbs are rated for 25,000 hours, which is more than 20 years at three hours a day.`,
  },
  {
    title: 'Contacting support',
    content: `# Contacting support

Our support team is available Monday to Friday from 9 am to 6 pm Eastern Time. You can reach us by email at support@lumenlamps.example or by phone at +1 555 010 2030.

## Response times
We answer emails within one business day. Urgent safety issues, such as a lamp that overheats, are answered the same day.`,
  },
];

/** Questions the help centre answers, with the article that answers each. */
export const answerableQuestions: { question: string; article: string }[] = [
  { question: 'How long does shipping take?', article: 'Shipping and delivery' },
  { question: 'do you ship to canada', article: 'Shipping and delivery' },
  { question: 'Is shipping free?', article: 'Shipping and delivery' },
  { question: 'How can I track my order?', article: 'Shipping and delivery' },
  { question: 'Can I return a lamp I bought last week?', article: 'Returns and refunds' },
  { question: 'When will I get my refund?', article: 'Returns and refunds' },
  { question: 'how do i return something', article: 'Returns and refunds' },
  { question: 'What does the warranty cover?', article: 'Warranty' },
  { question: 'My lamp is broken, how do I make a warranty claim?', article: 'Warranty' },
  { question: 'How do I set up the hub?', article: 'Setting up your Lumen Hub' },
  { question: 'Does the hub work with 5 GHz wifi?', article: 'Setting up your Lumen Hub' },
  {
    question: 'The hub light is blinking red, what should I do?',
    article: 'Troubleshooting connection problems',
  },
  { question: 'my lamp says offline', article: 'Troubleshooting connection problems' },
  { question: 'How do I factory reset the hub?', article: 'Troubleshooting connection problems' },
  { question: 'I forgot my password', article: 'Your account and password' },
  { question: 'How do I change my email address?', article: 'Your account and password' },
  { question: 'How can I delete my account?', article: 'Your account and password' },
  { question: 'Do you accept PayPal?', article: 'Payment methods' },
  { question: 'Can I pay in instalments?', article: 'Payment methods' },
  { question: 'Where do I find my invoice?', article: 'Payment methods' },
  { question: 'How do I create a schedule for my lights?', article: 'Schedules and automations' },
  { question: 'Can the lights turn on at sunset?', article: 'Schedules and automations' },
  { question: 'Does it work with Alexa?', article: 'Voice assistants' },
  { question: 'How do I link Google Assistant?', article: 'Voice assistants' },
  { question: 'How much energy does a bulb use?', article: 'Bulbs and energy use' },
  { question: 'How long do the bulbs last?', article: 'Bulbs and energy use' },
  { question: 'What are your support hours?', article: 'Contacting support' },
  { question: "what's your phone number", article: 'Contacting support' },
];

/** Questions it does not answer: the engine must say so instead of quoting something unrelated. */
export const unanswerableQuestions: string[] = [
  'What is the weather in Paris tomorrow?',
  'Do you sell gift cards?',
  'Can I buy your products in a physical store in Berlin?',
  'Who is the CEO of Lumen?',
  'Do you offer a student discount?',
  'Are your lamps waterproof enough for the garden?',
  'Can I order a custom colour lampshade?',
  'What is the capital of France?',
  'Tell me a joke',
  'Do you have a loyalty program?',
  'Is there a bulk discount for hotels?',
  'Can I pick up my order from your office?',
];

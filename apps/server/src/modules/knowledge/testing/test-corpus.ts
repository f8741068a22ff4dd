/**
 * A small help centre for a fictional shop, used by the knowledge tests. The articles overlap in
 * everyday words ("long", "get", "order", "days") the way real help centres do, so ranking is
 * tested on questions that share words with the wrong articles too.
 */
export const testArticles = {
  refunds: {
    title: 'Refunds',
    content: `# Refunds

We want you to love what you ordered. If you don't, send it back and we will refund you.

## Refund timing

Once your return reaches our warehouse, we inspect it within two business days and then issue the refund.
The money goes back to your original payment method. Card refunds usually show on your statement
within 5 to 10 business days, depending on your bank. PayPal refunds arrive within 24 hours.

## Partial refunds

Items that come back damaged or with missing parts may get a partial refund. We email you a photo
and the amount before we issue it.
`,
  },
  shipping: {
    title: 'Shipping and delivery',
    content: `# Shipping and delivery

## Delivery times

Standard delivery takes 3 to 5 business days within the country. Express delivery arrives the next
business day when you order before 2 pm. International parcels can take as long as three weeks.

## Tracking your parcel

As soon as your order leaves the warehouse you get an email with a tracking link. Where's my package?
Open the link to see where your parcel is; tracking can take a day to update after dispatch.
`,
  },
  account: {
    title: 'Your account',
    content: `# Your account

## Resetting your password

Forgot your password? Click "Sign in", then "Forgot password", and enter your email address. We send a
reset link that is valid for one hour. If the email does not arrive, check your spam folder.

## Deleting your account

You can delete your account under Settings > Privacy. Deletion is permanent after 30 days.
`,
  },
  warranty: {
    title: 'Warranty',
    content: `# Warranty

Every jacket and tent comes with a two-year warranty against manufacturing defects. The warranty does
not cover normal wear, accidents or repairs made by someone else. To make a claim, send us photos of the
defect and your order number; we repair or replace the item, and if we can do neither we give your
money back.
`,
  },
  payments: {
    title: 'Payment methods',
    content: `# Payment methods

We accept Visa, Mastercard, American Express, PayPal and gift cards. Your card is charged when your order
ships, not when you place it. Gift cards cannot be exchanged for cash.

| Method | Charged when | Currencies |
|---|---|---|
| Card | at shipping | EUR, USD |
| PayPal | at checkout | EUR, USD, GBP |
`,
  },
  stores: {
    title: 'Stores and opening hours',
    content: `# Stores and opening hours

Our flagship store in Lyon is open Monday to Saturday from 10 am to 7 pm. You can return online orders in
any store, and the store staff will get the return started for you. Sunday opening is only in December.
`,
  },
} as const;

export type TestArticle = keyof typeof testArticles;

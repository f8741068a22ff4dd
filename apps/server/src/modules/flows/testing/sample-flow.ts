/** A flow used by the API and browser tests: buttons, a form with a required and an optional purpose, an optional form, a handoff and the AI. */
export const sampleFlow = {
  steps: [
    { id: 'start', type: 'message', text: 'Welcome to Lumen support.' },
    {
      id: 'menu',
      type: 'buttons',
      text: 'What do you need?',
      buttons: [
        { label: 'Order question', next: 'details' },
        { label: 'Talk to a person', next: 'person' },
        { label: 'Just chat', next: 'chat' },
      ],
    },
    {
      id: 'details',
      type: 'form',
      title: 'Your details',
      fields: [
        { key: 'email', kind: 'email', label: 'Email', purpose: 'reply to you by email', required: true },
        {
          key: 'topic',
          kind: 'select',
          label: 'Topic',
          purpose: 'reply to you by email',
          required: true,
          options: ['Delivery', 'Refund'],
        },
        {
          key: 'note',
          kind: 'text',
          label: 'Anything else',
          purpose: 'improve our answers',
          required: false,
        },
      ],
      next: 'survey',
    },
    {
      id: 'survey',
      type: 'form',
      title: 'A quick question',
      fields: [
        {
          key: 'heard',
          kind: 'text',
          label: 'How did you hear about us?',
          purpose: 'improve our marketing',
          required: false,
        },
      ],
      next: 'chat',
    },
    { id: 'person', type: 'handoff', text: 'Let me find someone.' },
    { id: 'chat', type: 'ai', text: 'Ask me anything.' },
  ],
};

import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { answerModes } from '../../platform/db/schema/index.js';
import { errorResponses, nonBlank, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { requireRole } from '../auth/principal.js';
import { citationSchema } from '../inbox/schemas.js';
import { runPlayground } from './playground.js';

/** As long as a visitor's message may be (the widget's limit). */
const QUESTION_MAX = 4000;

const playgroundBody = z.strictObject({
  question: nonBlank(QUESTION_MAX),
  agentId: z.uuid({ message: 'must be a UUID' }).optional(),
});

const playgroundPassage = z
  .object({
    chunkId: z.uuid(),
    sourceId: z.uuid(),
    title: z.string(),
    headingPath: z.string(),
    snippet: z.string(),
    score: z.number().describe('Search score in [0, 1]'),
    coverage: z.number().describe("IDF-weighted share of the question's terms the passage covers"),
    informative: z.boolean().describe('Contains a rare question term or one in its title or headings'),
    cited: z.boolean(),
  })
  .meta({ id: 'PlaygroundPassage' });

const playgroundAnswer = z
  .object({
    agentId: z.uuid().nullable(),
    answerMode: z.enum(answerModes).describe("The agent's setting"),
    text: z.string(),
    mode: z.enum(['extractive', 'model', 'handoff']).describe('How this answer was produced'),
    handoff: z.enum(['requested', 'low_confidence', 'rule']).nullable(),
    citations: z.array(citationSchema),
    confident: z.boolean(),
    passages: z.array(playgroundPassage),
  })
  .meta({ id: 'PlaygroundAnswer' });

/**
 * POST /v1/knowledge/playground. Operators and up (role `agent`+): it may call the model
 * provider, which costs the organization tokens, so read-only viewers cannot spend them; the
 * operators who answer visitors are the ones who need to know what the assistant says.
 */
export async function playgroundRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/knowledge/playground',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Test a question: the answer the widget would give',
        description:
          'Answers `question` exactly as the widget would for `agentId` (its sources, answer mode, instructions and handoff setting; without `agentId`, the defaults of a new agent over all sources): the same retrieval and confidence gate, the same model answerer with personal data redacted before the provider, else the extractive answerer. Returns the answer, how it was produced, its citations, whether it hands off, and the passages retrieval considered with their scores. Creates no conversation and stores no message; a model call is metered (ids and counts) like any other. Role `agent` or higher.',
        body: playgroundBody,
        response: { 200: playgroundAnswer, ...errorResponses, 429: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      // The caller leaving stops the work (the model call too).
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new DOMException('The client left', 'AbortError'));
      });
      return runPlayground(deps, p.orgId, request.body, controller.signal);
    },
  );
}

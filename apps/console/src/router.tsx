import type { InboxView, Me, Role } from '@confidant/contract';
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AgentPage } from './agents/agent-page';
import { AgentsPage } from './agents/agents-page';
import { isUnauthenticated } from './api/api-error';
import { meQuery } from './api/queries';
import { ApiKeysPage } from './api-keys/api-keys-page';
import { SignInPage } from './auth/sign-in-page';
import { ConversationPane } from './inbox/conversation-pane';
import { InboxPage } from './inbox/inbox-page';
import { NoConversationSelected } from './inbox/no-conversation-selected';
import { inboxViewIds } from './inbox/views';
import { AcceptInvitationPage } from './members/accept-invitation-page';
import { MembersPage } from './members/members-page';
import { AppShell } from './shell/app-shell';
import { NoOrganization } from './shell/no-organization';
import { canAdminister } from './shell/roles';

/**
 * Code-based routes (no generator step; the tree is this file). Paths are relative to the
 * router's basepath /console. Every page inside an organization lives under /o/$orgId, so a
 * link or a reload keeps the org the person chose.
 */
type RouterContext = { queryClient: QueryClient };

/**
 * The signed-in person, or a redirect to the sign-in page — or, when their account is scheduled
 * for deletion, to the page that offers to restore it (the server refuses everything else).
 */
async function requireMe(queryClient: QueryClient, location: { href: string }) {
  let me: Me;
  try {
    me = await queryClient.ensureQueryData(meQuery);
  } catch (error) {
    if (isUnauthenticated(error)) throw redirect({ to: '/sign-in', search: { next: location.href } });
    throw error;
  }
  if (me.deletionScheduledAt) throw redirect({ to: '/account-deleted' });
  return me;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { next?: string } =>
    typeof search.next === 'string' && search.next.startsWith('/') ? { next: search.next } : {},
  component: SignInPage,
});

/** `/console/`: the inbox of the person's first organization. */
const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: async ({ context, location }) => {
    const me = await requireMe(context.queryClient, location);
    const first = me.memberships[0];
    if (first)
      throw redirect({ to: '/o/$orgId/inbox', params: { orgId: first.orgId }, search: { view: 'waiting' } });
  },
  component: NoOrganization,
});

const orgRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/o/$orgId',
  beforeLoad: async ({ context, location, params }) => {
    const me = await requireMe(context.queryClient, location);
    const membership = me.memberships.find((m) => m.orgId === params.orgId);
    if (!membership) throw redirect({ to: '/' });
    return { me, membership };
  },
  component: AppShell,
});

/** `q`: the list's search (trimmed, at most 200 characters as the API allows). */
export type InboxSearch = { view: InboxView; q?: string };

const inboxRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/inbox',
  // The parameter's type makes `view` optional in links; the default is the queue that needs people.
  validateSearch: (search: { view?: unknown; q?: unknown }): InboxSearch => {
    const q = typeof search.q === 'string' ? search.q.trim().slice(0, 200) : '';
    return {
      view: inboxViewIds.includes(search.view as InboxView) ? (search.view as InboxView) : 'waiting',
      ...(q ? { q } : {}),
    };
  },
  component: InboxPage,
});

const inboxIndexRoute = createRoute({
  getParentRoute: () => inboxRoute,
  path: '/',
  component: NoConversationSelected,
});

const conversationRoute = createRoute({
  getParentRoute: () => inboxRoute,
  path: '/$conversationId',
  component: ConversationPane,
});

/** Everyone reads agents; only admins and owners change them (the page and the API agree). */
const agentsRoute = createRoute({ getParentRoute: () => orgRoute, path: '/agents', component: AgentsPage });
const agentRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/agents/$agentId',
  component: AgentPage,
});

/**
 * Every role reads the sources; the page offers adding, re-indexing, deleting and synonyms to
 * admins and owners, and the playground to operators and up. Loaded on first visit.
 */
const knowledgeRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/knowledge',
  component: lazyRouteComponent(() => import('./knowledge/knowledge-page'), 'KnowledgePage'),
});

/** Admins and owners only (the API refuses other roles); others land on the inbox. */
const apiKeysRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/api-keys',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: ApiKeysPage,
});

const membersRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/members',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: MembersPage,
});

/** Admins and owners; loaded on first visit (kept out of the initial bundle). */
const auditRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/audit',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: lazyRouteComponent(() => import('./audit/audit-page'), 'AuditPage'),
});

/** Admins and owners (model provider, notifications, the org); loaded on first visit. */
const settingsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/settings',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: lazyRouteComponent(() => import('./settings/settings-page'), 'SettingsPage'),
});

/** Webhooks both ways (admins and owners); loaded on first visit. */
const webhooksRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/webhooks',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: lazyRouteComponent(() => import('./webhooks/webhooks-page'), 'WebhooksPage'),
});

/**
 * Privacy (admins and owners): a layout with a tab per concern (privacy/privacy-layout.tsx);
 * Retention is the index tab. Loaded on first visit. Sibling tabs add a child route here.
 */
const privacyRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/privacy',
  beforeLoad: ({ context, params }) => {
    if (!canAdminister(context.membership.role))
      throw redirect({ to: '/o/$orgId/inbox', params, search: { view: 'waiting' } });
  },
  component: lazyRouteComponent(() => import('./privacy/privacy-layout'), 'PrivacyLayout'),
});

const privacyRetentionRoute = createRoute({
  getParentRoute: () => privacyRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./privacy/retention-page'), 'RetentionPage'),
});

/** Every role; loaded on first visit. */
const usageRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/usage',
  component: lazyRouteComponent(() => import('./usage/usage-page'), 'UsagePage'),
});

/** Data-subject requests (export, erasure): the Privacy section's second tab; loaded on first visit. */
const privacyRequestsRoute = createRoute({
  getParentRoute: () => privacyRoute,
  path: '/requests',
  component: lazyRouteComponent(
    () => import('./privacy/requests/privacy-requests-page'),
    'PrivacyRequestsPage',
  ),
});

/** The redaction tester: the Privacy section's third tab; loaded on first visit. */
const privacyRedactionRoute = createRoute({
  getParentRoute: () => privacyRoute,
  path: '/redaction',
  component: lazyRouteComponent(() => import('./privacy/redaction/redaction-page'), 'RedactionPage'),
});

/** Records of processing (generated) and sub-processors: the Privacy section's fourth tab. */
const privacyRecordsRoute = createRoute({
  getParentRoute: () => privacyRoute,
  path: '/records',
  component: lazyRouteComponent(() => import('./privacy/records/records-page'), 'RecordsPage'),
});

/** The incident register (breaches, the 72-hour deadline, the authority's report): a Privacy tab. */
const privacyIncidentsRoute = createRoute({
  getParentRoute: () => privacyRoute,
  path: '/incidents',
  component: lazyRouteComponent(() => import('./privacy/incidents/incidents-page'), 'IncidentsPage'),
});

/** The calls list's filters, as its URL keeps them (every one optional; junk is dropped). */
export type CallsSearch = {
  status?: string;
  rep?: string;
  rubric?: string;
  minScore?: number;
  maxScore?: number;
  from?: string;
  to?: string;
  q?: string;
};

const callStatusIds = ['queued', 'transcribing', 'analyzing', 'ready', 'failed'];
const searchText = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
const searchScore = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined;
};
const searchDay = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

function validateCallsSearch(search: Record<string, unknown>): CallsSearch {
  const all: CallsSearch = {
    status: callStatusIds.includes(search.status as string) ? (search.status as string) : undefined,
    rep: searchText(search.rep),
    rubric: searchText(search.rubric),
    minScore: searchScore(search.minScore),
    maxScore: searchScore(search.maxScore),
    from: searchDay(search.from),
    to: searchDay(search.to),
    q: searchText(search.q),
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as CallsSearch;
}

/**
 * Call analysis (every role reads; operators and up upload): a layout with tabs (calls/calls-layout.tsx);
 * the list is the index tab, then the team dashboard and, for admins and owners, rubrics and
 * settings. One call's page stands on its own. Loaded on first visit.
 */
const callsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/calls',
  component: lazyRouteComponent(() => import('./calls/calls-layout'), 'CallsLayout'),
});

const callsListRoute = createRoute({
  getParentRoute: () => callsRoute,
  path: '/',
  validateSearch: validateCallsSearch,
  component: lazyRouteComponent(() => import('./calls/calls-list-page'), 'CallsListPage'),
});

const callsDashboardRoute = createRoute({
  getParentRoute: () => callsRoute,
  path: '/dashboard',
  component: lazyRouteComponent(() => import('./calls/dashboard-page'), 'CallsDashboardPage'),
});

const repCoachingRoute = createRoute({
  getParentRoute: () => callsRoute,
  path: '/reps/$repName',
  component: lazyRouteComponent(() => import('./calls/rep-coaching-page'), 'RepCoachingPage'),
});

const adminOnly = ({
  context,
  params,
}: {
  context: { membership: { role: Role } };
  params: { orgId: string };
}) => {
  if (!canAdminister(context.membership.role)) throw redirect({ to: '/o/$orgId/calls', params });
};

const rubricsRoute = createRoute({
  getParentRoute: () => callsRoute,
  path: '/rubrics',
  beforeLoad: adminOnly,
  component: lazyRouteComponent(() => import('./calls/rubrics-page'), 'RubricsPage'),
});

const callSettingsRoute = createRoute({
  getParentRoute: () => callsRoute,
  path: '/settings',
  beforeLoad: adminOnly,
  component: lazyRouteComponent(() => import('./calls/call-settings-page'), 'CallSettingsPage'),
});

const callRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/calls/$callId',
  component: lazyRouteComponent(() => import('./calls/call-page'), 'CallPage'),
});

/** The signed-in person's account (two-factor, sessions); from the person in the sidebar. */
const accountRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./account/account-page'), 'AccountPage'),
});

/** A person whose account is scheduled for deletion: restore it or sign out. Loaded on demand. */
const accountDeletedRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account-deleted',
  component: lazyRouteComponent(() => import('./deletion/account-deleted-page'), 'AccountDeletedPage'),
});

const tokenSearch = (search: Record<string, unknown>): { token: string } => ({
  token: typeof search.token === 'string' ? search.token : '',
});

/**
 * The link an invitation email carries. Open to signed-out visitors: the page offers to sign in
 * (and comes back) or to create the account for the invited email.
 */
const acceptInvitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/accept-invitation',
  validateSearch: tokenSearch,
  component: AcceptInvitationPage,
});

/** Signed-out pages of the email flows; loaded on first visit (kept out of the initial bundle). */
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: lazyRouteComponent(() => import('./auth/forgot-password-page'), 'ForgotPasswordPage'),
});

/** The link a password reset email carries. */
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import('./auth/reset-password-page'), 'ResetPasswordPage'),
});

/** Offered by the sign-in page only where the server allows sign-up (first run or open). */
const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-up',
  component: lazyRouteComponent(() => import('./auth/sign-up-page'), 'SignUpPage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  signUpRoute,
  homeRoute,
  acceptInvitationRoute,
  accountDeletedRoute,
  orgRoute.addChildren([
    inboxRoute.addChildren([inboxIndexRoute, conversationRoute]),
    apiKeysRoute,
    membersRoute,
    agentsRoute,
    agentRoute,
    knowledgeRoute,
    auditRoute,
    usageRoute,
    privacyRoute.addChildren([
      privacyRetentionRoute,
      privacyRequestsRoute,
      privacyRedactionRoute,
      privacyRecordsRoute,
      privacyIncidentsRoute,
    ]),
    settingsRoute,
    webhooksRoute,
    callsRoute.addChildren([
      callsListRoute,
      callsDashboardRoute,
      repCoachingRoute,
      rubricsRoute,
      callSettingsRoute,
    ]),
    callRoute,
    accountRoute,
  ]),
]);

export function createConsoleRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    basepath: '/console',
    context: { queryClient },
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}

export const routes = { orgRoute, inboxRoute, conversationRoute, signInRoute };

/** Wire types shared by the server, the widget and the console. Types only: importing this adds no code to a bundle. */
export type {
  ActionCall,
  ActionCallOutcome,
  ActionMethod,
  ActionParameter,
  ActionParameters,
  ActionTestResult,
  AgentAction,
  AgentActionChanges,
} from './actions-api.js';
export type {
  AuditCheckpoint,
  AuditCheckpointPage,
  AuditEntry,
  AuditPage,
  AuditVerification,
  UsageDay,
  UsageGroupBy,
  UsageLimits,
  UsageLimitsView,
  UsageMeasures,
  UsageReport,
} from './admin-api.js';
export type {
  CallChanges,
  CallCoaching,
  CallCriterionScore,
  CallDashboard,
  CallDetail,
  CallEvidence,
  CallMetrics,
  CallModelChoice,
  CallPage,
  CallScore,
  CallSegment,
  CallSettings,
  CallSpeakerMetrics,
  CallStatus,
  CallSummary,
  RepCoaching,
  Rubric,
  RubricCriterion,
  RubricInput,
} from './calls-api.js';
export type { Citation } from './citation.js';
export type {
  Agent,
  AgentChanges,
  AgentModelChoice,
  AgentVoiceSettings,
  ApiKey,
  BusinessHours,
  CannedResponse,
  ConversationDetail,
  ConversationList,
  ConversationListItem,
  CreatedApiKey,
  CreatedInvitation,
  DeletionSchedule,
  InboxCounts,
  InboxView,
  Invitation,
  Me,
  Member,
  ModelProvider,
  ModelProviderChanges,
  ModelProviderEntry,
  ModelProviderEntryChanges,
  ModelProviderTestResult,
  NotificationPreferences,
  NotificationSettings,
  NotificationSettingsChanges,
  ProviderModel,
  RelatedConversations,
  Role,
  Weekday,
} from './console-api.js';
export type {
  ConversationStatus,
  HandoffReason,
  MessageRole,
  SystemEvent,
  VisibleMessage,
  VisitorTranscript,
} from './conversation.js';
export type {
  AgentFlow,
  CapturedData,
  CapturedValueView,
  ConsentRecordView,
  FlowButton,
  FlowField,
  FlowFieldKind,
  FlowStep,
  FlowStepType,
  FlowSubmission,
  FlowSubmissionResult,
  WidgetFlow,
  WidgetFlowStep,
} from './flows.js';
export type { ConversationSummary, InboxEvent, InboxMessage, InboxTyping } from './inbox-events.js';
export type { Incident, IncidentChanges, IncidentStatus } from './incidents-api.js';
export type {
  EmbeddingModelRef,
  EmbeddingModelSettings,
  KnowledgeSource,
  KnowledgeSourceStatus,
  KnowledgeSourceType,
  PlaygroundAnswer,
  PlaygroundPassage,
  SynonymGroup,
} from './knowledge-api.js';
export type { ModelProviderKind, ProviderModelType } from './model-provider-kinds.js';
export type {
  NewPrivacyRequest,
  PrivacyRequest,
  PrivacyRequestStatus,
  PrivacyRequestType,
  PrivacySubjectKind,
} from './privacy-api.js';
export type {
  PrivacyNotice,
  ProcessingActivity,
  ProcessingRecords,
  RecordsRetention,
  Subprocessor,
  Subprocessors,
  TechnicalMeasure,
  Transfer,
} from './privacy-records.js';
export type {
  PurgePreview,
  PurgeRun,
  Retention,
  RetentionCategory,
  RetentionRule,
} from './privacy-retention.js';
export type { Problem } from './problem.js';
export type {
  ConversationRating,
  HandoffDetail,
  RatingRequest,
  RatingScore,
  SatisfactionReport,
} from './ratings-api.js';
export {
  type CreatedInboundHook,
  type CreatedWebhookEndpoint,
  type InboundHook,
  type RotatedWebhookSecret,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
  webhookEventTypes,
} from './webhooks-api.js';
export type {
  ContactPurpose,
  ContactRequest,
  Persistence,
  WidgetAppearance,
  WidgetConfig,
  WidgetPosition,
} from './widget-config.js';
export type {
  AnswerStreamEvent,
  LiveStreamEvent,
  StatusEventData,
  TypingEventData,
  WidgetStreamEvent,
} from './widget-events.js';

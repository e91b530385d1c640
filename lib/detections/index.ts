export { analyzeKql, type KqlAnalysis } from './analyzeKql.js';
export {
  checkDetection,
  checkQuery,
  type DetectionCheck,
  type QueryCheck,
} from './checkDetection.js';
export type {
  AutomaticContainment,
  DetectionDefinition,
  DetectionSeverity,
  HuntingQuery,
  MitreAttack,
  ScheduledDetection,
  TriggerOperator,
} from './DetectionDefinition.js';
export { DetectionDefinitionError } from './errors/DetectionDefinitionError.js';
export { InvalidQueryTimespanError } from './errors/InvalidQueryTimespanError.js';
export { InvalidTelemetryRowError } from './errors/InvalidTelemetryRowError.js';
export { KqlAnalysisError } from './errors/KqlAnalysisError.js';
export { KqlEvaluationError } from './errors/KqlEvaluationError.js';
export type { SourcePosition } from './errors/SourcePosition.js';
export { UnsupportedKqlError } from './errors/UnsupportedKqlError.js';
export {
  evaluateAnalysedKql,
  evaluateKql,
  type EvaluateKqlOptions,
  type TelemetryRow,
  type TelemetryTables,
} from './evaluateKql.js';
export { InMemoryLogQuerySource, type LocalQueryOptions } from './InMemoryLogQuerySource.js';
export { isoDurationToMilliseconds } from './isoDuration.js';
export type { KqlProblem } from './KqlProblem.js';
export { lintComparisonTypes } from './lintComparisonTypes.js';
export { lintSampledCounts } from './lintSampledCounts.js';
export {
  defaultDetectionsDirectory,
  loadDetections,
  type LoadDetectionsOptions,
} from './loadDetections.js';
export { LocalLogQuerySource } from './LocalLogQuerySource.js';
export type { LogQuerySource, QueryTimespan } from './LogQuerySource.js';
export { parseDetectionMetadata, type DetectionMetadata } from './parseDetectionMetadata.js';
export {
  rowsAsObjects,
  type QueryCell,
  type QueryColumn,
  type QueryPartialError,
  type QueryResult,
  type QueryTable,
} from './QueryResult.js';
export { resolveTimespan } from './resolveTimespan.js';
export {
  runDetection,
  triggerHolds,
  type DetectionAlert,
  type DetectionRun,
  type RunDetectionOptions,
} from './runDetection.js';
export {
  isWorkspaceTableName,
  workspaceTables,
  type ColumnSchema,
  type KqlTypeName,
  type WorkspaceTableName,
} from './workspaceSchema.js';

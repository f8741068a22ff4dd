export { computeCallMetrics } from './compute-call-metrics.js';

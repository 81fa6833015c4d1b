export { REPORTS, findReport } from './registry.js';
export { ReportInputError, type Report, type ReportOptions, type ReportOptionName } from './report.js';
export { remedyFor } from './remedy.js';

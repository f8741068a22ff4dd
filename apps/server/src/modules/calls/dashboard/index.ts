export { callDashboardRoutes } from './routes.js';

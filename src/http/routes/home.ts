/**
 * `/`: where someone who opens paygate's address in a browser lands. The demo shop while the demo
 * is on (a new user's first minute), else the admin console. Without it the root answered a JSON
 * 404, the first thing a new user saw after `npm start`.
 */
import type { RoutePlugin } from './index.js';
import { demoIsOn } from './demo.js';

export const homeRoutes: RoutePlugin = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.redirect(demoIsOn() ? '/demo' : '/admin/', 302));
};

/** Routes of the console; everything but the login page needs a session. */
import { createRouter, createWebHistory } from 'vue-router';
import { loadSession, session, setUnauthorizedHandler } from './api';
import ConsoleLayout from './components/ConsoleLayout.vue';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', name: 'dashboard', component: () => import('./pages/DashboardPage.vue') },
        { path: 'apps', name: 'apps', component: () => import('./pages/AppsPage.vue') },
        { path: 'channels', name: 'channels', component: () => import('./pages/ChannelsPage.vue') },
        { path: 'transactions', name: 'transactions', component: () => import('./pages/TransactionsPage.vue') },
        { path: 'transactions/:id', name: 'transaction', component: () => import('./pages/TransactionDetailPage.vue') },
        { path: 'records', name: 'records', component: () => import('./pages/PaymentRecordsPage.vue') },
        { path: 'webhooks', name: 'webhooks', component: () => import('./pages/WebhooksPage.vue') },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession();
  if (to.meta.public) return session.username && to.name === 'login' ? { name: 'dashboard' } : true;
  if (!session.username) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  return true;
});

setUnauthorizedHandler(() => {
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ name: 'login', query: { next: current.fullPath, expired: '1' } });
});

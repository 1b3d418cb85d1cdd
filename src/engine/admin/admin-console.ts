/**
 * The admin console's engine: operators, sessions, login, and the console's read models
 * (dashboard, transaction search and export, detail, payment records, webhook views). It sits
 * beside `createPaygate` and uses the same dependencies; state changes (refund, ship, close,
 * channel edits) go through the paygate engine itself, never around it.
 */
import type { Paygate } from '../paygate.js';
import { createAdminUser, ensureFirstAdmin, listAdminUsers, setAdminPassword, type FirstAdmin } from './admin-users.js';
import { closeSession, DEFAULT_SESSION_POLICY, resolveSession, type SessionPolicy } from './admin-sessions.js';
import { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from './login-throttle.js';
import { login, type LoginInput } from './login.js';
import { dashboard } from './dashboard.js';
import { searchTransactions, type PageRequest } from './transaction-search.js';
import { transactionsCsv } from './transaction-csv.js';
import { chargeScope, transactionDetail } from './transaction-detail.js';
import { paymentRecords } from './payment-records.js';
import { testChannelConnection } from './channel-connection.js';
import { listDeliveries, listEndpoints, webhookHealth, type DeliveryFilter } from './webhook-views.js';
import type { TransactionFilter } from './transaction-filter.js';

export interface AdminConsoleOptions {
  readonly session?: Partial<SessionPolicy>;
  readonly throttle?: Partial<ThrottlePolicy>;
}

export type AdminConsole = ReturnType<typeof createAdminConsole>;

export function createAdminConsole(paygate: Paygate, options: AdminConsoleOptions = {}) {
  const deps = paygate.deps;
  const policies = {
    session: { ...DEFAULT_SESSION_POLICY, ...options.session },
    throttle: { ...DEFAULT_THROTTLE_POLICY, ...options.throttle },
  };
  let firstAdmin: Promise<FirstAdmin> | undefined;
  return {
    paygate,
    policies,
    ensureFirstAdmin: (envPassword: string | undefined) => ensureFirstAdmin(deps, envPassword),
    /**
     * The first start's operator, made once per process: the server makes sure it exists when it
     * is ready, and the startup banner (which runs after) prints the generated password from here.
     */
    firstAdmin: (envPassword: string | undefined): Promise<FirstAdmin> => (firstAdmin ??= ensureFirstAdmin(deps, envPassword)),
    users: {
      create: (username: string, password: string) => createAdminUser(deps, username, password),
      list: () => listAdminUsers(deps),
      setPassword: (userId: string, password: string) => setAdminPassword(deps, userId, password),
    },
    login: (input: LoginInput) => login(deps, policies, input),
    session: (token: string | undefined) => resolveSession(deps, policies.session, token),
    logout: (token: string | undefined) => closeSession(deps, token),
    dashboard: (input: { livemode: boolean; offsetMinutes: number; app_id?: string }) => dashboard(deps, input),
    transactions: {
      search: (filter: TransactionFilter, page?: PageRequest) => searchTransactions(deps, filter, page),
      csv: (filter: TransactionFilter, offsetMinutes: number) => transactionsCsv(deps, filter, offsetMinutes),
      detail: (id: string) => transactionDetail(deps, id),
      scope: (id: string) => chargeScope(deps, id),
    },
    records: (channelId: string, page?: { limit?: number; starting_after?: string }) => paymentRecords(deps, channelId, page),
    testConnection: (channelId: string) => testChannelConnection(deps, channelId),
    webhooks: {
      endpoints: (filter?: { app_id?: string; livemode?: boolean }) => listEndpoints(deps, filter),
      deliveries: (filter: DeliveryFilter, page?: { limit?: number; starting_after?: string }) => listDeliveries(deps, filter, page),
      health: (filter: { livemode?: boolean; app_id?: string }, sinceMs: number) => webhookHealth(deps, filter, sinceMs),
    },
  };
}

const consoles = new WeakMap<Paygate, AdminConsole>();

/** One console per engine, shared by the HTTP plugin and the CLI (first-admin printing). */
export function adminConsoleFor(paygate: Paygate, options?: AdminConsoleOptions): AdminConsole {
  let found = consoles.get(paygate);
  if (!found) {
    found = createAdminConsole(paygate, options);
    consoles.set(paygate, found);
  }
  return found;
}

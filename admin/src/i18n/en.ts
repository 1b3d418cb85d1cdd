/** English. Keys mirror zh.ts. */
import type zh from './zh';

const en: typeof zh = {
  brand: 'paygate',
  console: 'Console',
  nav: { dashboard: 'Dashboard', apps: 'Apps', channels: 'Channels', transactions: 'Transactions', records: 'Payment records', webhooks: 'Webhooks' },
  common: {
    search: 'Search', reset: 'Reset', export: 'Export CSV', create: 'Create', save: 'Save', cancel: 'Cancel', confirm: 'Confirm', edit: 'Edit',
    delete: 'Delete', close: 'Close', copy: 'Copy', copied: 'Copied', all: 'All', yes: 'Yes', no: 'No', actions: 'Actions', loading: 'Loading…',
    prev: 'Previous', next: 'Next', perPage: 'Per page', created: 'Created', id: 'ID', name: 'Name', app: 'App', channel: 'Channel',
    status: 'Status', type: 'Type', amount: 'Amount', test: 'Test', live: 'Live', enabled: 'Enabled', disabled: 'Disabled', details: 'Details',
    retry: 'Retry', refresh: 'Refresh', none: 'None', saved: 'Saved', done: 'Done', timezone: 'Time zone', optional: 'optional', required: 'required', more: 'More',
  },
  header: {
    testMode: 'Test data', liveMode: 'Live data', modeHint: 'Viewing test data: sandbox transactions, no real money',
    language: 'Language', logout: 'Log out', changePassword: 'Change password', menu: 'Menu',
  },
  login: {
    title: 'Log in to the console', username: 'User name', password: 'Password', submit: 'Log in', invalid: 'Wrong user name or password',
    locked: 'Too many failed attempts; try again in {seconds} seconds', hint: 'On first start the initial admin password is printed in the server log (or taken from PAYGATE_ADMIN_PASSWORD).',
    usernameRequired: 'Enter the user name', passwordRequired: 'Enter the password', expired: 'The session expired; log in again',
  },
  password: { current: 'Current password', next: 'New password', repeat: 'Repeat the new password', mismatch: 'The new passwords differ', tooShort: 'The new password needs at least 8 characters', changed: 'Password changed; log in again' },
  status: { created: 'Created', pending: 'Pending', secured_paid: 'Paid (escrow)', shipped: 'Shipped', succeeded: 'Succeeded', closed: 'Closed' },
  refundStatus: { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' },
  deliveryStatus: { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' },
  dashboard: {
    today: 'Today', d7: 'Last 7 days', d30: 'Last 30 days', volume: 'Volume', count: 'Charges', paidCount: 'Paid', successRate: 'Success rate',
    successRateHint: 'paid ÷ (paid + closed); unfinished charges are not counted', refunded: 'Refunded', trend: 'Last 30 days', byChannel: 'By channel',
    byType: 'By transaction type', recentFailures: 'Recent failures', webhookHealth: 'Webhook deliveries (24 h)', noFailures: 'No failed charges or refunds lately',
    noData: 'No charges in the last 30 days', noDataHint: 'Create one with POST /v1/charges and a test key, or add a channel first.',
    reminderTitle: 'App “{app}” needs payment but has no enabled channel', reminderAction: 'Enable payment', webhookNone: 'No webhook deliveries yet',
    webhookNoneHint: 'Add an endpoint on the Webhooks page and charge events are pushed to your server.', endpoints: 'Enabled endpoints', pending: 'Pending', failed: 'Failed',
    succeeded: 'Succeeded', chargeFailure: 'Charge', refundFailure: 'Refund', generated: 'As of',
  },
  apps: {
    title: 'Apps', create: 'New app', name: 'App name', requiresPayment: 'Needs payment', requiresPaymentHint: 'When on, the dashboard reminds you while no channel is enabled (seed 001 hasPayment)',
    redirectHosts: 'Allowed redirect hosts', redirectHostsHint: 'One per line, e.g. shop.example.com: return and OAuth redirects may go only there', ready: 'Ready', notReady: 'Not ready',
    keys: 'Keys', keysOnce: 'Save these keys now: they are not shown again', roll: 'Roll', rollConfirm: 'The old {kind} stops working at once. Continue?', newKey: 'New key (shown once)',
    secretKey: 'Secret key', publishableKey: 'Publishable key', testSecret: 'Test secret key', liveSecret: 'Live secret key', testPublishable: 'Test publishable key', livePublishable: 'Live publishable key',
    channels: 'Channels', empty: 'No apps yet', emptyHint: 'Create an app to get API keys, then create charges.', edit: 'Edit app',
  },
  channels: {
    title: 'Channels', add: 'Add channel', edit: 'Edit channel', type: 'Type', mode: 'Mode', codes: 'Payment methods', fee: 'Fee', feePercent: 'Rate (%)',
    feeFixed: 'Fixed fee (yuan)', transactionTypes: 'Transaction types', transactionTypesHint: 'None selected means every type', delegate: 'Pay on behalf',
    delegateHint: 'Another channel of the same type and mode collects the money (its merchant is paid)', noDelegate: 'No delegate', testConnection: 'Test connection',
    connectionOk: 'Connection works', connectionFailed: 'Connection failed', records: 'Records', deleteConfirm: 'Delete channel “{name}”? Finished charges are kept.',
    deleted: 'Deleted', options: 'Options', secretSet: 'Set (leave empty to keep)', uploadPem: 'Upload PEM file', pastePem: 'Paste the PEM text, or upload the file',
    empty: 'No channels yet', emptyHint: 'Add a “Test channel” to run whole payments in the sandbox.', testOnly: 'Test mode only', chooseApp: 'Choose an app',
    enabledNow: 'Enabled', disabledNow: 'Disabled', options_required: '{field} is required', secretNever: 'Secrets are never shown after saving; they can only be replaced.',
    allApps: 'All apps', feeInvalid: 'The rate must be 0 to 100 with at most two decimals', fixedInvalid: 'The fixed fee must be an amount such as 0.10',
  },
  transactions: {
    title: 'Transactions', search: 'Order no / charge id / refund id / channel trade no', dateRange: 'Created', start: 'Start date', end: 'End date',
    orderNo: 'Order no', refunded: 'Refunded', subject: 'Subject', empty: 'No matching transactions', emptyHint: 'Change the filters, or switch between test and live data.',
    channelCode: 'Method', exportHint: 'Exports the current filters; times in {zone}',
  },
  detail: {
    back: 'Back to transactions', overview: 'Charge', refund: 'Refund', ship: 'Ship', close: 'Close charge', timeline: 'Timeline', log: 'Full log',
    refunds: 'Refunds', events: 'Events and webhooks', amountSettle: 'Settled', fee: 'Fee', currency: 'Currency', body: 'Description', clientIp: 'Client IP',
    transactionNo: 'Channel trade no', paidAt: 'Paid', expireAt: 'Expires', succeededAt: 'Completed', failure: 'Failure', metadata: 'metadata',
    extra: 'extra', payingChannel: 'Collected by', escrow: 'Escrow', instant: 'Instant', refundAmount: 'Refund amount (yuan)', refundReason: 'Reason',
    refundMax: 'At most {amount}', refundConfirm: 'Refund {amount}? A refund cannot be undone.', refundInvalid: 'Enter an amount from 0.01 to {max}',
    refundDone: 'Refund submitted', closeConfirm: 'Close this pending charge? The buyer can no longer pay it.', closed: 'Charge closed', logistics: 'Carrier', invoiceNo: 'Tracking no',
    transport: 'Transport', shipped: 'Shipped', noRefunds: 'No refunds', noEvents: 'No events', request: 'Request', response: 'Response', note: 'Note',
    transition: 'Status change', notify: 'Notify', error: 'Error', handler: 'Handler', showData: 'Show data', attempts: 'Attempts', resend: 'Resend',
    resent: 'Resent', deliveryTarget: 'Target', httpStatus: 'HTTP status', duration: 'Duration', excerpt: 'Response excerpt', noDeliveries: 'No webhook deliveries',
    noDeliveriesHint: 'No endpoint of this app subscribes to these events, and the charge has no notify_url.', notFound: 'No such charge', description: 'Description', orderNumber: 'Order number',
  },
  records: {
    title: 'Payment records', channel: 'Channel', orderNumber: 'Order number', paidAt: 'Paid', testBadge: 'Test', empty: 'No succeeded payments on this channel yet',
    emptyHint: 'Only succeeded charges show here; put orderNumber and detailUrl in the charge metadata to link your order.', chooseChannel: 'Choose a channel',
    noChannels: 'No channels yet', transactionNo: 'Channel trade no',
  },
  webhooks: {
    title: 'Webhooks', endpoints: 'Endpoints', deliveries: 'Deliveries', addEndpoint: 'Add endpoint', url: 'URL', events: 'Events', eventsHint: '* and charge.* patterns allowed',
    format: 'Format', channelFilter: 'Only this channel', requireSuccess: 'Require the body SUCCESS', description: 'Description', secret: 'Signing secret', secretOnce: 'The signing secret is shown once: save it now',
    rollSecret: 'Roll secret', rollConfirm: 'The old secret keeps signing beside the new one for 24 hours. Continue?', deleteConfirm: 'Delete endpoint {url}? Unfinished deliveries are marked failed.',
    noEndpoints: 'No webhook endpoints', noEndpointsHint: 'Add one and paygate pushes signed charge events to your server, retrying failures.',
    noDeliveries: 'No deliveries yet', noDeliveriesHint: 'Each delivery and retry shows here once charges change state.', attempts: 'Attempts', lastStatus: 'Last status',
    eventType: 'Event', target: 'Target', nextAttempt: 'Next retry', unavailable: 'The webhook module is not ready yet',
  },
  errors: { generic: 'The action failed', network: 'Cannot reach the server' },
};

export default en;

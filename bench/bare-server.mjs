// The benchmark's baseline: a bare Fastify route that parses the same JSON body paygate's
// POST /v1/charges gets and answers with a small JSON object. No auth, no schema, no storage.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
let served = 0;
app.post('/v1/charges', async (request) => {
  const body = request.body;
  served += 1;
  return { id: `ch_bare${served}`, object: 'charge', order_no: body.order_no, amount: body.amount, status: 'pending' };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`bare fastify listening on ${address}`);
const stop = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// A small app for the local host's own tests: one function of each kind the host must serve.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });

app.http('echo', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'echo/{name}',
  handler: async (request) => {
    let bytes = 0;
    for await (const chunk of request.body ?? []) bytes += (chunk as Uint8Array).byteLength;
    return {
      jsonBody: {
        name: request.params.name,
        bytes,
        forwardedFor: request.headers.get('x-forwarded-for'),
        query: request.query.get('q'),
      },
    };
  },
});

app.http('open', { methods: ['GET'], authLevel: 'anonymous', handler: () => ({ body: 'open' }) });

app.http('fails', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => {
    throw new Error('secret detail that must not reach the client');
  },
});

export const timerRuns: unknown[] = [];
app.timer('tick', {
  schedule: '0 0 3 * * *',
  handler: (timer) => void timerRuns.push(timer),
});

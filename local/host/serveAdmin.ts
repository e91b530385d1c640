import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessRule } from '../../lib/appcontrol/AppControl.js';
import { newFunctionKey } from './HostState.js';
import type { LocalFunctionsHost } from './LocalFunctionsHost.js';

const maxAdminBody = 1024 * 1024;

/**
 * The local host's admin surface, callable with the master key only. Key routes follow the real
 * host's admin API; `/admin/app/...` stands in for the App Service settings that runbooks change
 * through ARM on Azure (app state, disabled functions, access restrictions), so like ARM it is not
 * subject to the app's own access restrictions or stopped state.
 *
 * | Route | Meaning |
 * |---|---|
 * | `GET /admin/host/status` | host state and registered functions |
 * | `GET /admin/host/keys`, `PUT\|DELETE /admin/host/keys/{key}` | host keys |
 * | `GET /admin/functions/{fn}/keys`, `PUT\|DELETE /admin/functions/{fn}/keys/{key}` | function keys |
 * | `POST /admin/functions/{fn}` | run a non-HTTP function now |
 * | `GET\|PUT /admin/app/state` | `{ "state": "Running" \| "Stopped" }` |
 * | `GET\|PUT /admin/app/functions/{fn}/disabled` | `{ "disabled": true \| false }` |
 * | `GET\|PUT /admin/app/accessRestrictions` | `{ "rules": AccessRule[] }` |
 *
 * A `PUT` of a key with no `value` in the body generates one.
 */
export async function serveAdmin(
  host: LocalFunctionsHost,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const method = request.method ?? 'GET';
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent).slice(1);
  const route = `${method} ${segments.map((s, i) => (isNameSlot(segments, i) ? '*' : s)).join('/')}`;
  const body = method === 'PUT' || method === 'POST' ? await readJson(request) : undefined;
  const state = host.state;
  const send = (status: number, json?: unknown) => {
    response.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json' });
    response.end(json === undefined ? undefined : JSON.stringify(json));
  };
  const functionName = segments[segments.indexOf('functions') + 1] ?? '';
  const keyName = segments[segments.indexOf('keys') + 1] ?? '';

  switch (route) {
    case 'GET host/status':
      return send(200, {
        state: state.data.state,
        functions: host.registrations.map((r) => ({ name: r.name, trigger: r.trigger.type })),
      });
    case 'GET host/keys':
      return send(200, { keys: toKeyList(state.data.hostKeys) });
    case 'PUT host/keys/*': {
      const value = keyValue(body);
      await state.update((data) => void (data.hostKeys[keyName] = value));
      return send(200, { name: keyName, value });
    }
    case 'DELETE host/keys/*':
      await state.update((data) => void delete data.hostKeys[keyName]);
      return send(204);
    case 'GET functions/*/keys':
      if (!isRegistered(host, functionName)) return send(404);
      return send(200, { keys: toKeyList(state.data.functionKeys[functionName] ?? {}) });
    case 'PUT functions/*/keys/*': {
      if (!isRegistered(host, functionName)) return send(404);
      const value = keyValue(body);
      await state.update((data) => {
        data.functionKeys[functionName] = { ...data.functionKeys[functionName], [keyName]: value };
      });
      return send(200, { name: keyName, value });
    }
    case 'DELETE functions/*/keys/*':
      await state.update((data) => void delete data.functionKeys[functionName]?.[keyName]);
      return send(204);
    case 'POST functions/*':
      if (!isRegistered(host, functionName)) return send(404);
      await host.runFunction(functionName, (body as { input?: unknown } | undefined)?.input);
      return send(202);
    case 'GET app/state':
      return send(200, { state: state.data.state });
    case 'PUT app/state': {
      const next = (body as { state?: unknown } | undefined)?.state;
      if (next !== 'Running' && next !== 'Stopped') return send(400, badRequest('state'));
      await state.update((data) => void (data.state = next));
      return send(200, { state: next });
    }
    case 'GET app/functions/*/disabled':
      return send(200, { disabled: state.data.disabledFunctions.includes(functionName) });
    case 'PUT app/functions/*/disabled': {
      const disabled = (body as { disabled?: unknown } | undefined)?.disabled;
      if (typeof disabled !== 'boolean') return send(400, badRequest('disabled'));
      await state.update((data) => {
        const others = data.disabledFunctions.filter((name) => name !== functionName);
        data.disabledFunctions = disabled ? [...others, functionName] : others;
      });
      return send(200, { disabled });
    }
    case 'GET app/accessRestrictions':
      return send(200, { rules: state.data.accessRestrictions });
    case 'PUT app/accessRestrictions': {
      const rules = (body as { rules?: unknown } | undefined)?.rules;
      if (!Array.isArray(rules) || !rules.every(isAccessRule)) {
        return send(400, badRequest('rules'));
      }
      await state.update((data) => void (data.accessRestrictions = rules));
      return send(200, { rules });
    }
    default:
      return send(404);
  }
}

/** Which path segments are names (functions, keys) rather than fixed words. */
function isNameSlot(segments: readonly string[], index: number): boolean {
  const owner = segments[index - 1];
  if (owner === 'keys') return true;
  if (owner === 'functions') return true;
  return false;
}

function isRegistered(host: LocalFunctionsHost, name: string): boolean {
  return host.registrations.some((registration) => registration.name === name);
}

function keyValue(body: unknown): string {
  const value = (body as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' && value.length >= 16 ? value : newFunctionKey();
}

function toKeyList(keys: Record<string, string>) {
  return Object.entries(keys).map(([name, value]) => ({ name, value }));
}

function isAccessRule(rule: unknown): rule is AccessRule {
  const candidate = rule as Partial<AccessRule> | null;
  return (
    typeof candidate?.name === 'string' &&
    (candidate.action === 'Allow' || candidate.action === 'Deny') &&
    typeof candidate.ipAddress === 'string' &&
    typeof candidate.priority === 'number'
  );
}

function badRequest(field: string) {
  return { error: { code: 'BadRequest', message: `The field "${field}" is missing or invalid.` } };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxAdminBody) throw new Error('Admin request body too large.');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

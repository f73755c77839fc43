/**
 * A minimal IDPRS HTTP client for tests: node:http / node:https requests to
 * the CPR endpoint, with a bearer token and/or a client certificate.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IdprsCall {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  body?: Uint8Array | string;
  token?: string;
  /** Raw Authorization header (overrides `token`). */
  authorization?: string;
  tls?: { ca: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
}

export interface IdprsAnswer {
  status: number;
  json: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** Calls the endpoint at `origin` (http://… or https://…) and parses the JSON answer. */
export function callCpr(origin: string, call: IdprsCall): Promise<IdprsAnswer> {
  const url = new URL(call.path, origin);
  const headers: Record<string, string> = {};
  if (call.authorization !== undefined) headers.authorization = call.authorization;
  else if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  const body = call.body === undefined ? undefined : Buffer.from(call.body);
  if (body) {
    headers['content-type'] = 'application/pkcs7-mime';
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const options = { method: call.method, headers, ...(call.tls ? { ca: call.tls.ca, cert: call.tls.cert, key: call.tls.key, servername: 'localhost' } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>, headers: res.headers });
        } catch {
          reject(new Error(`non-JSON answer ${res.statusCode}: ${text}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A test TLS PKI made with openssl: a CA, a server certificate for 127.0.0.1/localhost, and a client certificate. */
export interface TestTlsPki {
  ca: Buffer;
  serverKey: Buffer;
  serverCert: Buffer;
  clientKey: Buffer;
  clientCert: Buffer;
  /** A client certificate from another CA (must be refused). */
  strangerKey: Buffer;
  strangerCert: Buffer;
}

/** Makes the TLS PKI in `dir` with the openssl command. */
export function makeTlsPki(dir: string): TestTlsPki {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl('req', '-x509', ...ec, '-subj', '/CN=Test IDPRS TLS CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  const leaf = (name: string, cn: string, ext: string, caKey = 'ca.key', caCert = 'ca.pem') => {
    ssl('req', ...ec, '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    execFileSync('bash', ['-c', `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir });
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  };
  leaf('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  leaf('client', 'idprs-client', 'extendedKeyUsage=clientAuth');
  ssl('req', '-x509', ...ec, '-subj', '/CN=Stranger CA', '-days', '2', '-keyout', 'sca.key', '-out', 'sca.pem', '-addext', 'basicConstraints=critical,CA:TRUE');
  leaf('stranger', 'stranger', 'extendedKeyUsage=clientAuth', 'sca.key', 'sca.pem');
  const f = (n: string) => readFileSync(join(dir, n));
  return {
    ca: f('ca.pem'),
    serverKey: f('server.key'),
    serverCert: f('server.pem'),
    clientKey: f('client.key'),
    clientCert: f('client.pem'),
    strangerKey: f('stranger.key'),
    strangerCert: f('stranger.pem'),
  };
}

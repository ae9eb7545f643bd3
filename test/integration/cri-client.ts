import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';

/**
 * The lab's kubelet stand-in: a CRI v1 client made with @grpc/grpc-js from the subset of the CRI
 * api.proto in test/fixtures/cri (test-only; the helper reads the CRI with its own small client,
 * helper/discover/runtimes/cri-*.ts). Objects go out and come back as proto-loader's plain JSON.
 */
const PROTO = join(__dirname, '..', 'fixtures', 'cri', 'cri-api-subset.proto');

type Call = (request: object, callback: (err: grpc.ServiceError | null, response: unknown) => void) => void;

export interface CriClient {
  call: <T = Record<string, unknown>>(method: string, request: object) => Promise<T>;
  close: () => void;
}

export function criClient(socket: string): CriClient {
  const def = protoLoader.loadSync(PROTO, { keepCase: false, longs: String, enums: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor } } };
  const client = new pkg.runtime.v1.RuntimeService(`unix:${socket}`, grpc.credentials.createInsecure());
  const call = <T,>(method: string, request: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, Call>)[method];
      if (fn === undefined) return reject(new Error(`no CRI method ${method}`));
      fn.call(client, request, (err, res) => (err !== null ? reject(new Error(`${method}: ${err.message}`)) : resolve(res as T)));
    });
  return { call, close: () => client.close() };
}

import { existsSync } from 'node:fs';
import { criSockets } from './cri.js';
import type { DockerEvent } from './docker-schemas.js';
import { grpcServerStream } from './grpc-stream.js';
import { encodeField, WireMessage } from './protobuf-wire.js';
import { RuntimeUnreachable } from './unix-http.js';

/**
 * containerd's own event service (the CRI of containerd 1.6 has no event stream): every task
 * start, exit or delete in the kubelet's namespace `k8s.io` — a pod's sandbox or one of its
 * containers came or went — becomes a runtime change for the live watcher (`containerdChange`, helper/watch/runtime-events.ts), handed over in the
 * event shape the other runtimes use (Type "containerd", Action the topic, Actor the container).
 */
export const CONTAINERD_SUBSCRIBE = '/containerd.services.events.v1.Events/Subscribe';
/** SubscribeRequest{filters: 1}: containerd's filter syntax; the kubelet's namespace, task events only. */
const FILTER = 'namespace==k8s.io,topic~="^/tasks/"';
/** The topics that mean a pod's sandbox or container came or went. */
export const CONTAINERD_TASK_TOPICS = new Set(['/tasks/start', '/tasks/exit', '/tasks/delete']);

/** Envelope{timestamp 1, namespace 2, topic 3, event 4: Any{type_url 1, value 2}}; TaskStart/Exit/Delete carry container_id as field 1. */
export function decodeEnvelope(buf: Uint8Array): DockerEvent {
  const m = new WireMessage(buf);
  const event = new WireMessage(m.message(4).bytes(2));
  return { Type: 'containerd', Action: m.string(3), Actor: { ID: event.string(1), Attributes: { namespace: m.string(2) } } };
}

export class ContainerdEvents {
  constructor(private readonly opts: { sockets?: string[]; exists?: (p: string) => boolean } = {}) {}

  async follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void } = {}): Promise<void> {
    const exists = this.opts.exists ?? existsSync;
    const socket = (this.opts.sockets ?? criSockets()).find((s) => exists(s));
    if (socket === undefined) throw new RuntimeUnreachable('no-socket', 'no CRI socket');
    await grpcServerStream(socket, CONTAINERD_SUBSCRIBE, encodeField(1, FILTER), (m) => {
      try {
        hooks.onEvent?.(decodeEnvelope(m));
      } catch {
        // one undecodable event does not end the stream
      }
    }, signal, hooks.onOpen);
  }
}

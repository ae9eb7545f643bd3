import { encodeFramed, encodeLine } from '../../protocol/src/framing.js';
import type { RequestId, StreamEnd } from '../../protocol/src/messages.js';
import type { StreamSink } from '../methods/handler.js';

/** One open stream: numbers data from 0 and ends exactly once (DESIGN §2). */
export class OpenStream<D> implements StreamSink<D> {
  private seq = 0;
  private ended = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly isCongested: () => boolean,
    readonly id: RequestId,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  send(data: D): void {
    if (this.ended) return;
    this.write(encodeFramed({ stream: this.id, seq: this.seq++, data }));
  }

  congested(): boolean {
    return this.isCongested();
  }

  end(end: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.write(encodeLine({ stream: this.id, end }));
  }
}

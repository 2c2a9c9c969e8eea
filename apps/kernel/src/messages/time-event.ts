/** A fired timer, as the bus shows it to the tap before the timer's callback runs. */

export class TimeEvent {
  static readonly payloadType = 'TimeEvent';
  constructor(
    readonly name: string,
    readonly eventId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

/** Protocols a declared flow can use. */
export enum FlowProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

const SERVICE_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkPort(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${what} must be a port number between 1 and 65535, got ${value}`);
}

/** A port (or port range, or named container port) a declared flow allows. Always explicit: there is no "all ports". */
export class FlowPort {
  /** One TCP port. */
  public static tcp(port: number): FlowPort {
    return new FlowPort(FlowProtocol.TCP, port);
  }

  /** One UDP port. */
  public static udp(port: number): FlowPort {
    return new FlowPort(FlowProtocol.UDP, port);
  }

  /** One SCTP port. */
  public static sctp(port: number): FlowPort {
    return new FlowPort(FlowProtocol.SCTP, port);
  }

  /** TCP ports `first` to `last`, inclusive (NetworkPolicy `endPort`). */
  public static tcpRange(first: number, last: number): FlowPort {
    return new FlowPort(FlowProtocol.TCP, first, last);
  }

  /** UDP ports `first` to `last`, inclusive. */
  public static udpRange(first: number, last: number): FlowPort {
    return new FlowPort(FlowProtocol.UDP, first, last);
  }

  /** A named container port of the destination pods (`http`), resolved by the CNI on the destination side. */
  public static named(name: string, protocol: FlowProtocol = FlowProtocol.TCP): FlowPort {
    if (name.length > 15 || !SERVICE_NAME.test(name)) {
      throw new Error(`port name "${name}" must be an IANA service name (at most 15 lower-case letters, digits and '-', with a letter)`);
    }
    return new FlowPort(protocol, undefined, undefined, name);
  }

  private constructor(
    /** The protocol. */
    public readonly protocol: FlowProtocol,
    /** The port, or first port of a range; absent for a named port. */
    public readonly port?: number,
    /** Last port of a range. */
    public readonly endPort?: number,
    /** Name of a container port. */
    public readonly name?: string,
  ) {
    if (port !== undefined) checkPort(port, 'port');
    if (endPort !== undefined) {
      checkPort(endPort, 'endPort');
      if (port === undefined || endPort <= port) throw new Error(`a port range needs endPort > port, got ${port}-${endPort}`);
    }
  }

  /** The NetworkPolicyPort JSON. @internal */
  public _toJson(): { protocol: string; port: number | string; endPort?: number } {
    return {
      protocol: this.protocol,
      port: this.name ?? this.port!,
      ...(this.endPort !== undefined ? { endPort: this.endPort } : {}),
    };
  }
}

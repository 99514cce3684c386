import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { DedicatedNodes } from './placement';

/** A RuntimeClass a pod can name in `runtimeClassName`. */
export interface IRuntimeClass {
  /** The RuntimeClass name. */
  readonly runtimeClassName: string;
}

/** The container runtime handler a RuntimeClass selects (configured in the node's CRI). */
export class RuntimeHandler {
  /** gVisor: a user-space kernel between the container and the host (`runsc`). */
  public static readonly GVISOR = new RuntimeHandler('runsc');
  /** Kata Containers: each pod in a lightweight virtual machine (`kata`). */
  public static readonly KATA = new RuntimeHandler('kata');
  /** Any other handler name configured on the nodes. */
  public static of(name: string): RuntimeHandler {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new Error(`RuntimeHandler "${name}" must be a DNS label (lower case letters, digits and '-')`);
    }
    return new RuntimeHandler(name);
  }
  private constructor(public readonly name: string) {}
}

/** Resources the sandbox itself uses per pod (RuntimeClass `overhead.podFixed`). */
export interface RuntimeOverhead {
  /** CPU, as a Kubernetes quantity (`250m`). */
  readonly cpu: string;
  /** Memory, as a Kubernetes quantity (`120Mi`). */
  readonly memory: string;
}

export interface SandboxRuntimeClassProps {
  /** The handler the nodes' container runtime is configured with. */
  readonly handler: RuntimeHandler;
  /** @default - a name generated from the construct path */
  readonly metadata?: ApiObjectMetadata;
  /** Per-pod overhead added to scheduling and quota. @default - none */
  readonly overhead?: RuntimeOverhead;
  /**
   * Only nodes with this label run the handler; pods using the class are scheduled there and tolerate the taint.
   * @default - every node runs the handler
   */
  readonly nodes?: DedicatedNodes;
}

/**
 * A RuntimeClass (`node.k8s.io/v1`) for sandboxed runtimes: untrusted code runs under gVisor or Kata instead of
 * sharing the host kernel directly. Pass it as `runtimeClass` to a hardened workload.
 */
export class SandboxRuntimeClass extends Construct implements IRuntimeClass {
  /** A RuntimeClass named `gvisor` with the `runsc` handler. */
  public static gvisor(scope: Construct, id: string, props: SandboxPresetProps = {}): SandboxRuntimeClass {
    return new SandboxRuntimeClass(scope, id, { ...props, handler: RuntimeHandler.GVISOR, metadata: { name: 'gvisor', ...props.metadata } });
  }

  /** A RuntimeClass named `kata` with the `kata` handler. */
  public static kata(scope: Construct, id: string, props: SandboxPresetProps = {}): SandboxRuntimeClass {
    return new SandboxRuntimeClass(scope, id, { ...props, handler: RuntimeHandler.KATA, metadata: { name: 'kata', ...props.metadata } });
  }

  /** A RuntimeClass that exists in the cluster already. */
  public static fromName(name: string): IRuntimeClass {
    return { runtimeClassName: name };
  }

  public readonly runtimeClassName: string;
  /** The RuntimeClass object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SandboxRuntimeClassProps) {
    super(scope, id);
    const nodes = props.nodes;
    const taint = nodes
      ? {
        key: nodes.taint?.key ?? nodes.label.key,
        value: nodes.taint?.value ?? nodes.label.value,
        effect: nodes.taint?.effect ?? kplus.TaintEffect.NO_SCHEDULE,
      }
      : undefined;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: props.metadata,
      handler: props.handler.name,
      overhead: props.overhead ? { podFixed: { cpu: props.overhead.cpu, memory: props.overhead.memory } } : undefined,
      scheduling: nodes
        ? {
          nodeSelector: { [nodes.label.key]: nodes.label.value },
          tolerations: [{ key: taint!.key, operator: 'Equal', value: taint!.value, effect: taint!.effect }],
        }
        : undefined,
    });
    // RuntimeClass is cluster-scoped: drop the namespace cdk8s copies from the chart.
    if (this.apiObject.metadata.namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.runtimeClassName = this.apiObject.name;
  }
}

/** Options of the gVisor and Kata presets. */
export interface SandboxPresetProps {
  /** @default - the preset's name (`gvisor` or `kata`) */
  readonly metadata?: ApiObjectMetadata;
  /** @default - none */
  readonly overhead?: RuntimeOverhead;
  /** @default - every node runs the handler */
  readonly nodes?: DedicatedNodes;
}

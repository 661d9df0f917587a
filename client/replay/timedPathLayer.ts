// A PathLayer that draws only the part of each path travelled by `currentTime`, like deck.gl's
// TripsLayer (in @deck.gl/geo-layers, not a dependency here) without the fading trail.
//
// Each vertex carries its time (seconds since an origin: float32 keeps sub-second precision over
// the 7 days a replay may span, where epoch seconds would be rounded to minutes). The fragment
// shader interpolates the time along each segment and discards what lies after `currentTime`.
// Moving the clock therefore changes one uniform: no attribute is rebuilt, however long the paths.
import { PathLayer, type PathLayerProps } from '@deck.gl/layers';
import type { AccessorFunction, DefaultProps } from '@deck.gl/core';

const uniformBlock = `\
layout(std140) uniform replayPathUniforms {
  float currentTime;
} replayPath;
`;

/** luma.gl shader module with the layer's uniform block (std140). */
const replayPathUniforms = {
  name: 'replayPath',
  vs: uniformBlock,
  fs: uniformBlock,
  uniformTypes: { currentTime: 'f32' },
} as const;

type _TimedPathLayerProps<DataT> = {
  /** Seconds since the same origin as `getTimestamps`. */
  currentTime?: number;
  /** Time of each vertex of the path, seconds since the origin. */
  getTimestamps?: AccessorFunction<DataT, ArrayLike<number>>;
};

export type TimedPathLayerProps<DataT = unknown> = _TimedPathLayerProps<DataT> & PathLayerProps<DataT>;

const defaultProps: DefaultProps<TimedPathLayerProps> = {
  currentTime: { type: 'number', value: 0 },
  getTimestamps: { type: 'accessor', value: (d: unknown) => (d as { timestamps: number[] }).timestamps },
};

export class TimedPathLayer<DataT = unknown, ExtraProps extends {} = {}> extends PathLayer<
  DataT,
  Required<_TimedPathLayerProps<DataT>> & ExtraProps
> {
  static override layerName = 'TimedPathLayer';
  static override defaultProps = defaultProps;

  override getShaders() {
    const shaders = super.getShaders();
    shaders.inject = {
      ...(shaders.inject ?? {}),
      'vs:#decl': `\
in float instanceTimestamps;
in float instanceNextTimestamps;
out float vTime;
`,
      'vs:#main-end': `\
vTime = instanceTimestamps + (instanceNextTimestamps - instanceTimestamps) * clamp(vPathPosition.y / max(vPathLength, 1e-6), 0.0, 1.0);
`,
      'fs:#decl': `\
in float vTime;
`,
      'fs:#main-start': `\
if (vTime > replayPath.currentTime) {
  discard;
}
`,
    };
    shaders.modules = [...shaders.modules, replayPathUniforms];
    return shaders;
  }

  override initializeState() {
    super.initializeState();
    this.getAttributeManager()!.addInstanced({
      timestamps: {
        size: 1,
        accessor: 'getTimestamps',
        shaderAttributes: {
          instanceTimestamps: { vertexOffset: 0 },
          instanceNextTimestamps: { vertexOffset: 1 },
        },
      },
    });
  }

  override draw(params: Parameters<PathLayer['draw']>[0]) {
    const model = this.state.model!;
    model.shaderInputs.setProps({ replayPath: { currentTime: this.props.currentTime } });
    super.draw(params);
  }
}

import LeafyGreenProviderModule from '@leafygreen-ui/leafygreen-provider';

/**
 * @leafygreen-ui/leafygreen-provider only has a default export, and its package is not marked as ESM, so with
 * NodeNext resolution TypeScript types the default import as the whole CommonJS module. The bundler hands us
 * the ESM default (the component itself); this picks whichever of the two arrived, typed as the component.
 */
type ProviderComponent = typeof LeafyGreenProviderModule.default;

export const LeafyGreenProvider: ProviderComponent =
  (LeafyGreenProviderModule as { default?: ProviderComponent }).default ??
  (LeafyGreenProviderModule as unknown as ProviderComponent);

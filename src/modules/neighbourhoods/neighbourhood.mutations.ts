import { Int } from 'type-graphql';
import { LayerEditor } from '../../geo/layer-edit.service';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { NeighbourhoodRepository } from './neighbourhood.repository';
import { Neighbourhood } from './neighbourhood.type';

export const NeighbourhoodInputs = layerInputs('Neighbourhood', {
  code: { type: () => String, required: true, description: 'Stable code, unique.' },
  name: { type: () => String, required: true },
  district: { type: () => String, required: true, description: 'District (ilçe).' },
  province: { type: () => String, required: true, description: 'Province (il).' },
  population: { type: () => Int },
});

export const neighbourhoodEditor = new LayerEditor('neighbourhood', 'neighbourhoods', (ctx) => new NeighbourhoodRepository(ctx.db, ctx.access));

export const NeighbourhoodMutationResolver = layerMutations(Neighbourhood, 'Neighbourhood', NeighbourhoodInputs, neighbourhoodEditor);

import { Float, Int } from 'type-graphql';
import { LayerEditor } from '../../geo/layer-edit.service';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { ParcelRepository } from './parcel.repository';
import { Parcel } from './parcel.type';

export const ParcelInputs = layerInputs('Parcel', {
  province: { type: () => String, required: true, description: 'Province (il).' },
  district: { type: () => String, required: true, description: 'District (ilçe).' },
  mahalle: { type: () => String, required: true },
  ada: { type: () => Int, required: true, range: { min: 0, max: 2147483647 } },
  parsel: { type: () => Int, required: true, range: { min: 0, max: 2147483647, minExclusive: true } },
  registeredAreaSquareMeters: { type: () => Float, description: 'Area on the title deed, m².', range: { min: 0, max: 1e10, minExclusive: true } },
  nitelik: { type: () => String },
  pafta: { type: () => String },
  source: { type: () => String },
});

export const parcelEditor = new LayerEditor('parcel', 'parcels', (ctx) => new ParcelRepository(ctx.db, ctx.access));

export const ParcelMutationResolver = layerMutations(Parcel, 'Parcel', ParcelInputs, parcelEditor);

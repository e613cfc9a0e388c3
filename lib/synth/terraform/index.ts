export { terraformElementOf } from './target';

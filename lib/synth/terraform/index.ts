export { terraformElementOf } from './elements';

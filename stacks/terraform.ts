/** The cdktf app of cdktf.json (`cdktf synth|deploy`): the example bay as Terraform only. */
import { App, TerraformStack } from 'cdktf';
import { KubernetesBay } from 'kubebay';
import { EXAMPLE_BAY } from './example';

const app = new App();
new KubernetesBay(new TerraformStack(app, 'example'), 'example', EXAMPLE_BAY);
app.synth();

// Compares Heat's scheduler run (scripts/heat-bringup.py JSON) of the example
// bay with the bench's bring-up model of the same templates; prints a summary.
// Usage: node scripts/check-bringup.mjs HEAT.json   (after a build and `npm run synth`)
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parse } = require('yaml');
const { hotSpec } = require('../dist/bench/bringup/hot-graph.js');
const { expand, schedule } = require('../dist/bench/bringup/model.js');

const heat = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const docs = new Map(readdirSync('out/hot/example').filter((f) => f.endsWith('.yaml') && !/env/.test(f)).map((f) => [f, parse(readFileSync(`out/hot/example/${f}`, 'utf8'))]));
const env = parse(readFileSync('out/hot/example/environment.yaml', 'utf8'));
const model = schedule(expand(hotSpec(docs, 'kubecluster.yaml', env.parameters ?? {})));
const c = heat.checks;
const lines = [
  `engine: ${heat.engine}`,
  `minion group requires (Heat's graph, transitively): ${c.example_kube_minions.requires.join(', ')}`,
  `minion group waits for master groups: ${c.example_kube_minions.waits_for_master_groups.join(', ') || 'none'}`,
  `first minion server starts at ${c.first_minion_server.start} s; first master's wait condition completes at ${c.first_master_wait.end} s`,
  `CREATE_COMPLETE: Heat's scheduler ${heat.create_complete_seconds} s, bench model ${model.total} s`,
];
// fixedApiVip (the example bay): servers are created while Octavia builds the load balancer; the members exist before kubeadm init needs the VIP.
const lb = docs.get('kubecluster.yaml').resources.example_api_loadbalancer;
const t = heat.times;
const problems = [];
if (typeof lb?.properties?.vip_address === 'string') {
  const servers = Object.keys(t).filter((k) => /_(master|minion)_server$/.test(k) && k.includes('/'));
  const lateServers = servers.filter((k) => t[k][0] >= t.example_api_loadbalancer[1]);
  const members = Object.keys(t).filter((k) => /_api_member$/.test(k));
  lines.push(`fixed VIP ${lb.properties.vip_address}: load balancer ${t.example_api_loadbalancer.join('–')} s; servers start at ${servers.map((k) => t[k][0]).join(', ')} s; API members ${members.map((k) => t[k].join('–')).join(', ')} s`);
  if (!servers.length || lateServers.length) problems.push(`servers wait for the load balancer: ${lateServers.join(', ') || 'no servers'}`);
  if (!members.length || members.some((k) => t[k][1] > c.first_master_wait.end)) problems.push('the API members are not created before the first master is ready');
}
console.log(lines.join('\n'));
if (!heat.ok) problems.push('Heat: minions wait for the masters, or are not created while the masters bootstrap');
if (Math.abs(heat.create_complete_seconds - model.total) > 5) problems.push(`the bench model (${model.total} s) and Heat's scheduler (${heat.create_complete_seconds} s) disagree`);
if (problems.length) {
  console.error(`bring-up check FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('bring-up check passed');

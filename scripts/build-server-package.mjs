// Assembles packages/server (the vtracer-ts-server package) from the root build: its sources stay in
// src/server beside the library, tsc compiles them into dist/src/server with the rest, and this copies the
// compiled server and the built web page into the package folder, which `npm pack` then packs as is.
// The server imports the library by name ('vtracer-ts'), which the package declares as a dependency.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'packages', 'server');
const from = (...parts) => join(root, ...parts);

for (const required of ['dist/src/server/index.js', 'web/dist/index.html']) {
  if (!existsSync(from(required))) throw new Error(`build-server-package: ${required} is missing; run npm run build`);
}
rmSync(join(pkg, 'dist'), { recursive: true, force: true });
rmSync(join(pkg, 'web'), { recursive: true, force: true });
cpSync(from('dist/src/server'), join(pkg, 'dist'), { recursive: true });
// The page's source maps stay out: they serve debugging in this repository, not the package's users.
cpSync(from('web/dist'), join(pkg, 'web', 'dist'), { recursive: true, filter: (path) => !path.endsWith('.map') });
cpSync(from('LICENSE'), join(pkg, 'LICENSE'));

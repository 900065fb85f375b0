// Walk every restore-job page with the official TypeScript SDK (@pinecone-database/pinecone@9.0.0).
//
// usage: node walk_node.mjs BASE_URL [--first-page]
//
// Reads the API key from PINECONE_API_KEY. `controllerHostUrl` is the SDK's control-plane base
// URL override (PineconeConfiguration in dist/data/vectors/types.d.ts); it keeps the http://
// scheme. `listRestoreJobs({ limit, paginationToken })` returns one page
// ({ data, pagination?.next }); it is marked deprecated in favour of `pc.restoreJobs.list`, to
// which it delegates unchanged. Jobs are keyed by restore_job_id (pages may overlap) and
// `jobs N pages P` is printed at the end.
//
// With --first-page: fetches only the first page, prints one line per job id and exits.

import { Pinecone } from '@pinecone-database/pinecone';

const [baseUrl, ...rest] = process.argv.slice(2);
if (!baseUrl) {
  console.error('usage: node walk_node.mjs BASE_URL [--first-page]');
  process.exit(2);
}
const firstPage = rest.includes('--first-page');

const pc = new Pinecone({ apiKey: process.env.PINECONE_API_KEY, controllerHostUrl: baseUrl });

if (firstPage) {
  const page = await pc.listRestoreJobs({ limit: 100 });
  process.stdout.write((page.data ?? []).map((job) => job.restoreJobId + '\n').join(''));
} else {
  const seen = new Set();
  let pages = 0;
  let token;
  for (;;) {
    const page = await pc.listRestoreJobs(
      token === undefined ? { limit: 100 } : { limit: 100, paginationToken: token }
    );
    pages += 1;
    for (const job of page.data ?? []) seen.add(job.restoreJobId);
    token = page.pagination?.next;
    if (!token) break;
  }
  process.stdout.write(`jobs ${seen.size} pages ${pages}\n`);
}

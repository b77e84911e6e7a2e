// Runs OpenActive's data-model validator (npm @openactive/data-model-validator) over RPDE pages, offline.
//
// Input on stdin: {"pages": [<RPDE page>, ...], "activityList": <path to a SKOS ConceptScheme JSON-LD>}.
// Output on stdout: {"results": [[{severity, type, category, path, message}, ...] per page]}.
//
// With loadRemoteJson off the validator fetches nothing; the OpenActive activity list it would fetch
// is served from the given file instead (an excerpt of https://openactive.io/activity-list), so the
// activity ids and labels are checked against the list rather than reported as "not found".
const fs = require('fs');
const path = require('path');

const validatorRoot = path.dirname(require.resolve('@openactive/data-model-validator/package.json'));
const JsonLoaderHelper = require(path.join(validatorRoot, 'src/helpers/json-loader'));
const { validate } = require('@openactive/data-model-validator');

const ACTIVITY_LIST_URL = 'https://openactive.io/activity-list';

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const activityList = JSON.parse(fs.readFileSync(input.activityList, 'utf8'));
  const offlineGetFile = JsonLoaderHelper.getFile.bind(JsonLoaderHelper);
  JsonLoaderHelper.getFile = async (url, options) => {
    if (url === ACTIVITY_LIST_URL) {
      return {
        errorCode: JsonLoaderHelper.ERROR_NONE,
        statusCode: 200,
        data: JSON.parse(JSON.stringify(activityList)),
        url,
        contentType: 'application/ld+json',
        exception: null,
        fetchTime: Date.now(),
      };
    }
    return offlineGetFile(url, options);
  };
  const results = [];
  for (const page of input.pages) {
    const errors = await validate(page, { loadRemoteJson: false, validationMode: 'RPDEFeed' });
    results.push(errors.map((error) => ({
      severity: error.severity,
      type: error.type,
      category: error.category,
      path: error.path,
      message: error.message,
    })));
  }
  process.stdout.write(JSON.stringify({ results }));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});

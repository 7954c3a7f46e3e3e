// The checks every consumer runs against the package it imported, the way its runtime imports it.
// Each consumer prints one line `CONSUMER_RESULT {"results":[…]}` (the browser POSTs it instead).

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function thrownBy(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw, got none");
}

/** Runs every check against `sdk` (the imported package); never throws. */
export function runChecks(sdk, expectedVersion) {
  const results = [];
  const check = (name, fn) => {
    try {
      fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: String((err && err.stack) || err) });
    }
  };

  check("imports without init(): version() is the package's version", () => {
    assertEqual(sdk.version(), expectedVersion, "version()");
  });
  check("normalizePhone gives the API form", () => {
    assertEqual(sdk.normalizePhone("+233 24 400 0000"), "233244000000", "normalizePhone");
  });
  check("bad input throws a SendexaError with a code", () => {
    const err = thrownBy(() => sdk.normalizePhone("call me maybe"));
    assert(err instanceof sdk.SendexaError, `not a SendexaError: ${err}`);
    assert(err instanceof Error, "not an Error");
    assertEqual(err.name, "SendexaError", "name");
    assertEqual(err.code, "WA001", "code");
    assert(typeof err.message === "string" && err.message.length > 0, "empty message");
    assert(Array.isArray(err.issues), "issues is not an array");
    assert(typeof err.stack === "string", "no stack");
  });
  check("the module keeps working after an error", () => {
    assertEqual(sdk.normalizePhone("00233244000000"), "233244000000", "normalizePhone after an error");
  });
  check("SendexaError is a class users can construct and serialise", () => {
    const err = new sdk.SendexaError("Timed out after 30000 ms", { code: "TIMEOUT", retryAfter: 1 });
    assert(err instanceof Error, "not an Error");
    assertEqual(err.code, "TIMEOUT", "code");
    assertEqual(JSON.stringify(err), '{"name":"SendexaError","code":"TIMEOUT","message":"Timed out after 30000 ms","retryAfter":1}', "JSON");
  });
  return results;
}

/** Prints the result line the runner reads. */
export function report(results) {
  console.log(`CONSUMER_RESULT ${JSON.stringify({ results })}`);
}

#!/usr/bin/env node
// Phone validation throughput, ours versus libphonenumber-js with max metadata, on the same inputs:
//   single: isValidPhone(s) per call vs isValidPhoneNumber(s)
//   bulk:   validatePhones(10,000 numbers) in one call vs a loop of parsePhoneNumber + isValid that
//           builds the same result objects ({ input, valid, digits, e164, region } or { reason })
import { compareRates, emit } from "./lib/common.mjs";
import { loadOurs, loadPhonePeer, phoneInputs } from "./lib/subjects.mjs";

const BULK = 10_000;
const ours = await loadOurs();
const peer = await loadPhonePeer();
const inputs = await phoneInputs(BULK);

// Both sides must agree on what they validate, or the comparison means nothing.
const validOurs = inputs.filter((s) => ours.isValidPhone(s)).length;
const validPeer = inputs.filter((s) => peer.isValidPhoneNumber(s)).length;
const agreement = `${validOurs} vs ${validPeer} of ${BULK} inputs valid`;

const single = await compareRates(
  (i) => ours.isValidPhone(inputs[i % BULK]),
  (i) => peer.isValidPhoneNumber(inputs[i % BULK]),
  { batch: 200 },
);
emit({ name: "isValidPhone, single calls", value: single.ours, unit: "numbers/s", peer: { name: "libphonenumber-js isValidPhoneNumber", value: single.peer }, target: "ratio>=20", better: "higher", note: agreement });

function peerBulk(list) {
  return list.map((input) => {
    let n;
    try {
      n = peer.parsePhoneNumber(input);
    } catch (err) {
      return { input, valid: false, reason: err.message };
    }
    return n.isValid() ? { input, valid: true, digits: n.number.slice(1), e164: n.number, region: n.country } : { input, valid: false, reason: "INVALID" };
  });
}
const bulk = await compareRates(() => ours.validatePhones(inputs), () => peerBulk(inputs), { batch: 1, ms: 500 });
emit({ name: "validatePhones, 10,000 at once", value: bulk.ours * BULK, unit: "numbers/s", peer: { name: "libphonenumber-js parsePhoneNumber loop", value: bulk.peer * BULK }, target: "ratio>=20", better: "higher" });

import assert from "node:assert/strict";
import { featureNames, parseCatalogue } from "../../pipeline/data/catalogue.ts";
import { FEATURE_GROUPS, groupOf } from "../../pipeline/data/feature_groups.ts";

const namesText = await Deno.readTextFile("data/raw/communities.names");

Deno.test("catalogue lists the 128 columns in file order with roles", () => {
  const columns = parseCatalogue(namesText);
  assert.equal(columns.length, 128);
  assert.deepEqual(columns.slice(0, 5).map((c) => c.name), [
    "state",
    "county",
    "community",
    "communityname",
    "fold",
  ]);
  assert.equal(columns.at(-1)?.name, "ViolentCrimesPerPop");
  assert.equal(columns.at(-1)?.role, "target");
  assert.equal(columns[3].type, "string");
  assert.equal(columns[4].role, "split");
  assert.equal(featureNames(columns).length, 122);
});

Deno.test("catalogue reads descriptions from the attribute information", () => {
  const byName = new Map(parseCatalogue(namesText).map((c) => [c.name, c]));
  assert.match(byName.get("PolicPerPop")!.description, /police officers per 100K population/);
  assert.ok([...byName.values()].every((c) => c.description.length > 0));
});

Deno.test("catalogue rejects a names file without attributes and unknown types", () => {
  assert.throws(() => parseCatalogue("no attributes here"), /no @attribute lines/);
  assert.throws(() => parseCatalogue("@attribute x date\n"), /column x has unknown type "date"/);
});

Deno.test("every predictive feature is in exactly one group", () => {
  const features = featureNames(parseCatalogue(namesText));
  const grouped = Object.values(FEATURE_GROUPS).flat();
  assert.equal(grouped.length, new Set(grouped).size);
  assert.deepEqual([...grouped].sort(), [...features].sort());
  assert.equal(groupOf("PolicPerPop"), "law_enforcement");
  assert.equal(groupOf("not_a_feature"), undefined);
});

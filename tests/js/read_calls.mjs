// The official client's read functions against the local Hub; prints one JSON line.
import { listModels, modelInfo, listDatasets, datasetInfo, listSpaces, spaceInfo, whoAmI }
  from "@huggingface/hub";

const hubUrl = process.env.LOCAL_HUB_URL;
const accessToken = process.env.LOCAL_HUB_TOKEN;
const out = {};
async function take(gen, n) {
  const items = [];
  for await (const item of gen) {
    items.push(item);
    if (items.length >= n) break;
  }
  return items;
}
const jsonable = (v) => JSON.parse(JSON.stringify(v));

out.byOwner = await take(listModels({ hubUrl, accessToken, search: { owner: "google" }, limit: 5 }), 99);
out.byQuery = await take(listModels({ hubUrl, search: { query: "bert" }, limit: 50 }), 99);
out.byTask = await take(listModels({
  hubUrl, search: { task: "text-classification", tags: ["license:mit"] }, limit: 4,
  additionalFields: ["library_name", "tags", "filePaths"],
}), 99);
out.byApps = await take(listModels({
  hubUrl, search: { apps: ["ollama", "mlx-lm"] }, limit: 6, additionalFields: ["library_name"],
}), 99);
out.byProvider = await take(listModels({
  hubUrl, search: { inferenceProviders: ["fal-ai", "replicate"] }, limit: 6,
  additionalFields: ["inferenceProviderMapping"],
}), 99);
for (const sort of ["likes30d", "num_parameters", "mainSize", "downloads", "id"]) {
  out["sort_" + sort] = await take(listModels({ hubUrl, sort, limit: 5, additionalFields: ["safetensors", "gguf"] }), 99);
}
out.paged = (await take(listModels({ hubUrl, limit: 750 }), 9999)).length;
out.modelInfo = await modelInfo({
  hubUrl, accessToken, name: "openai-community/gpt2",
  additionalFields: ["author", "sha", "tags", "gitalyUid", "downloadsAllTime", "safetensors"],
});
out.modelAtSha = await modelInfo({ hubUrl, name: "openai-community/gpt2", revision: out.modelInfo.sha, additionalFields: ["sha"] });
out.modelAtPr = await modelInfo({ hubUrl, name: "openai-community/gpt2", revision: "refs/pr/1", additionalFields: ["sha"] });
out.mapping = await modelInfo({ hubUrl, name: "meta-llama/Llama-3.1-8B-Instruct", additionalFields: ["inferenceProviderMapping"] });
try {
  await modelInfo({ hubUrl, accessToken, name: "nobody/nothing-here" });
  out.missing = "no error";
} catch (err) {
  out.missing = { statusCode: err.statusCode, message: err.message };
}
try {
  await modelInfo({ hubUrl, name: "openai-community/gpt2", revision: "no-such-branch" });
  out.badRevision = "no error";
} catch (err) {
  out.badRevision = { statusCode: err.statusCode, message: err.message };
}
out.datasets = await take(listDatasets({
  hubUrl, search: { tags: ["language:en"] }, limit: 5, sort: "datasetsServerInfo.numRows",
  additionalFields: ["tags", "author"],
}), 99);
out.datasetsByMainSize = await take(listDatasets({ hubUrl, sort: "mainSize", limit: 3 }), 99);
out.datasetInfo = await datasetInfo({
  hubUrl, name: "ibm/duorc", additionalFields: ["tags", "gitalyUid", "downloadsAllTime", "citation"],
});
out.spaces = await take(listSpaces({
  hubUrl, accessToken, sort: "likes30d", additionalFields: ["models", "datasets", "runtime"],
}), 9999);
out.spaceInfo = await spaceInfo({ hubUrl, name: "user/tmp_test_space", additionalFields: ["subdomain", "runtime"] });
out.whoAmI = await whoAmI({ hubUrl, accessToken });
console.log(JSON.stringify(jsonable(out)));

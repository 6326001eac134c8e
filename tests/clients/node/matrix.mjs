// The Node side of the client matrix: each feature of each client, run against one mock.
// Reads MOCK_FLAVOR, MOCK_BASE_URL and MOCK_API_KEY; prints one JSON line per feature:
// {"client", "feature", "ok", "detail"}. tests/clients/test_node_clients.py turns each line into a test.
import OpenAI from "openai";
import { generateText, streamText, tool, jsonSchema } from "ai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";

const flavor = process.env.MOCK_FLAVOR;
const baseURL = process.env.MOCK_BASE_URL;
const apiKey = process.env.MOCK_API_KEY;
const model = "openai/gpt-4o-mini";
const ask = [{ role: "user", content: "What is an LLM gateway?" }];

const features = [];
const feature = (client, name, run, only) => {
  if (!only || only === flavor) features.push({ client, name, run });
};
const check = (condition, detail) => {
  if (!condition) throw new Error(detail);
};
const shown = (value) => JSON.stringify(value)?.slice(0, 300);

const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

feature("openai-node", "chat", async () => {
  const r = await openai.chat.completions.create({ model, messages: ask });
  check(r.choices[0].message.content, `no content: ${shown(r)}`);
});

feature("openai-node", "stream-with-usage", async () => {
  const stream = await openai.chat.completions.create({
    model, messages: ask, stream: true, stream_options: { include_usage: true },
  });
  let text = "", usage = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? "";
    usage = chunk.usage ?? usage;
  }
  check(text && usage?.total_tokens > 0, `text ${shown(text)}, usage ${shown(usage)}`);
});

feature("openai-node", "tools-round-trip", async () => {
  const tools = [{
    type: "function",
    function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } },
  }];
  const first = await openai.chat.completions.create({
    model, messages: ask, tools, tool_choice: { type: "function", function: { name: "lookup" } },
  });
  const message = first.choices[0].message;
  check(message.tool_calls?.length === 1, `no tool call: ${shown(message)}`);
  const call = message.tool_calls[0];
  const second = await openai.chat.completions.create({
    model, tools,
    messages: [...ask, message, { role: "tool", tool_call_id: call.id, content: "42" }],
  });
  check(second.choices[0].message.content?.includes("42"), `answer ignores the tool: ${shown(second)}`);
});

feature("openai-node", "embeddings", async () => {
  const r = await openai.embeddings.create({ model: "openai/text-embedding-3-small", input: ["a", "b"] });
  check(r.data.length === 2 && r.data[0].embedding.length > 0, `vectors: ${shown(r.data.map((d) => d.embedding.length))}`);
});

feature("openai-node", "models", async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  check(ids.includes(model), `ids: ${shown(ids)}`);
});

feature("openai-node", "typed-errors", async () => {
  const wrong = new OpenAI({ baseURL, apiKey: "wrong-key", maxRetries: 0 });
  try {
    await wrong.chat.completions.create({ model, messages: ask });
  } catch (err) {
    check(err instanceof OpenAI.AuthenticationError && err.status === 401, `got ${err?.constructor?.name} ${err?.status}`);
    return;
  }
  throw new Error("a wrong key was accepted");
});

const compatible = createOpenAICompatible({ name: "gatecheck-mock", baseURL, apiKey, includeUsage: true });

feature("ai-sdk-openai-compatible", "generate-text", async () => {
  const r = await generateText({ model: compatible(model), prompt: "What is an LLM gateway?" });
  check(r.text && r.usage.totalTokens > 0, `text ${shown(r.text)}, usage ${shown(r.usage)}`);
});

feature("ai-sdk-openai-compatible", "stream-with-usage", async () => {
  const r = streamText({ model: compatible(model), prompt: "What is an LLM gateway?" });
  let text = "";
  for await (const piece of r.textStream) text += piece;
  const usage = await r.usage;
  check(text && usage.totalTokens > 0, `text ${shown(text)}, usage ${shown(usage)}`);
});

feature("ai-sdk-openai-compatible", "tools", async () => {
  const r = await generateText({
    model: compatible(model),
    prompt: "Look it up.",
    tools: { lookup: tool({ inputSchema: jsonSchema({ type: "object", properties: { q: { type: "string" } } }) }) },
    toolChoice: { type: "tool", toolName: "lookup" },
  });
  check(r.toolCalls.length === 1 && r.toolCalls[0].toolName === "lookup", `tool calls: ${shown(r.toolCalls)}`);
});

const openrouter = createOpenRouter({ baseURL, apiKey });

feature("openrouter-ai-sdk-provider", "generate-text", async () => {
  const r = await generateText({ model: openrouter.chat(model), prompt: "What is an LLM gateway?" });
  check(r.text && r.usage.totalTokens > 0, `text ${shown(r.text)}, usage ${shown(r.usage)}`);
}, "openrouter");

feature("openrouter-ai-sdk-provider", "stream-with-usage", async () => {
  const r = streamText({ model: openrouter.chat(model), prompt: "What is an LLM gateway?" });
  let text = "";
  for await (const piece of r.textStream) text += piece;
  const usage = await r.usage;
  check(text && usage.totalTokens > 0, `text ${shown(text)}, usage ${shown(usage)}`);
}, "openrouter");

for (const { client, name, run } of features) {
  let ok = true, detail = "";
  try {
    await run();
  } catch (err) {
    ok = false;
    detail = String(err?.stack ?? err).slice(0, 1500);
  }
  console.log(JSON.stringify({ client, feature: name, ok, detail }));
}

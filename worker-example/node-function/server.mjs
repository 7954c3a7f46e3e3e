// Runs the function locally: `SENDEXA_TOKEN=… node server.mjs` (PORT, default 3000).
import { createServer } from "node:http";
import handler from "./handler.mjs";

const server = createServer((req, res) => {
  handler(req, res).catch((err) => {
    console.error(err);
    res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`notification function on http://127.0.0.1:${server.address().port}`);
});

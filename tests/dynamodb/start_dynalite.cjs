// Starts dynalite (a DynamoDB-API server, in memory) on a free loopback port and prints
// {"port":N} once it listens. Exits when its standard input closes, so it never outlives the
// test program that started it. (dynalite's own CLI cannot pick a free port: --port 0 means 4567.)
'use strict'

const dynalite = require('dynalite')

// Tables become ACTIVE at once instead of after dynalite's default 500 ms.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()

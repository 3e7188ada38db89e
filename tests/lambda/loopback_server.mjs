// Starting and stopping the tests' local stand-ins (Lambda's Runtime API, SSM) on a free loopback
// port.
export async function listenOnLoopback(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${server.address().port}`;
}

// Ends the requests left waiting (`parked` responses) and every connection, then closes.
export async function closeServer(server, parked = []) {
  for (const response of parked) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

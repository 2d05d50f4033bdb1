// Starts dynalite (node_modules/dynalite/cli.js, with the same arguments) so that a client that
// gives up on a request does not end it. dynalite rethrows the 'aborted' error of such a request
// from an event handler, which takes the whole server down; DynamoDB just drops that request.
// Clients give up whenever an SDK attempt times out, which a loaded machine makes common.
'use strict'
process.on('uncaughtException', function (err) {
  if (err && err.code === 'ECONNRESET') {
    console.error('dynalite: a client aborted its request (' + err.message + '); dropped it')
    return
  }
  console.error(err)
  process.exit(1)
})
require('../node_modules/dynalite/cli.js')

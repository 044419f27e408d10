// Command dnsep manages the resolver endpoints of the Huawei Cloud DNS API
// from the command line, runs a local fake of the API (dnsep serve), and
// shows what the project does (dnsep demo).
//
// Run dnsep --help for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, stop := onSignal(context.Background(), sigs)
	code := newApp(os.Stdout, os.Stderr, os.Getenv).run(ctx, os.Args[1:])
	stop()
	signal.Stop(sigs)
	os.Exit(code)
}

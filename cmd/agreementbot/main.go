// Command agreementbot answers questions about US third-country deportation
// agreements in Slack, Discord, or a local console. See README.md.
package main

import (
	"os"
)

func main() {
	os.Exit(check(os.Args[2:], os.Stdout, os.Stderr))
}

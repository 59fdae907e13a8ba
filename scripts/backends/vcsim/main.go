// vcsim launcher: Debian's golang-github-vmware-govmomi-dev ships the vCenter simulator
// library but not its command. This starts a vCenter 6.5 model (1 datacenter, 1 cluster of
// 2 hosts, 1 standalone host, 2 datastores, 2 VMs per resource pool) serving vim25 SOAP at
// /sdk on a loopback address with a user and password, writes its URL to -urlfile, and
// runs until SIGTERM/SIGINT.
package main

import (
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address:port to listen on")
	user := flag.String("username", "orquestra", "login user name")
	password := flag.String("password", "", "login password (required)")
	urlFile := flag.String("urlfile", "", "file to write the SDK URL into once listening")
	flag.Parse()
	if *password == "" {
		log.Fatal("vcsim: -password is required")
	}

	model := simulator.VPX()
	model.Datacenter = 1
	model.Cluster = 1
	model.ClusterHost = 2
	model.Host = 1
	model.Datastore = 2
	model.Machine = 2
	if err := model.Create(); err != nil {
		log.Fatalf("vcsim: create model: %v", err)
	}
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *password)}
	model.Service.RegisterEndpoints = true
	server := model.Service.NewServer()

	sdk := *server.URL
	sdk.User = nil
	fmt.Printf("vcsim listening at %s\n", sdk.String())
	if *urlFile != "" {
		if err := ioutil.WriteFile(*urlFile, []byte(sdk.String()+"\n"), 0o644); err != nil {
			log.Fatalf("vcsim: write url file: %v", err)
		}
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	server.Close()
	model.Remove()
}

package dashboard

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"

	"github.com/dnsep/dnsep/fake"
	"github.com/dnsep/dnsep/openapi"
)

// assets holds the pages' template, scripts and style sheet: plain files,
// no build step, nothing fetched from elsewhere.
//
//go:embed assets
var assets embed.FS

var pageTemplate = template.Must(template.ParseFS(assets, "assets/page.html"))

// pageData is what the page template shows.
type pageData struct {
	Page  string // endpoints, requests or faults
	Title string
	CSRF  string
}

var pageTitles = map[string]string{"endpoints": "Endpoints", "requests": "Requests", "faults": "Faults"}

// page returns the handler of one of the pages: a shell that its script
// fills from /dashboard/api/ and refreshes.
func (d *Dashboard) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		if err := pageTemplate.Execute(&b, pageData{Page: name, Title: pageTitles[name], CSRF: sessionOf(r).csrf}); err != nil {
			http.Error(w, "rendering the page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = b.WriteTo(w)
	}
}

// staticTypes are the content types of the static files; with nosniff a
// browser runs a script only if it is labelled as one.
var staticTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml", // the icon, so that a browser asks the fake for no /favicon.ico
}

// serveStatic answers GET /dashboard/static/{file} with a script or style
// sheet of assets.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	ctype, ok := staticTypes[path.Ext(name)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(assets, "assets/"+name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(data)
}

// operations returns the operationIds of the API document and the fake
// IAM's, sorted.
func operations() ([]string, error) {
	v, err := openapi.NewValidator(context.Background())
	if err != nil {
		return nil, err
	}
	ops := []string{fake.IAMOperation}
	for _, item := range v.Document().Paths.Map() {
		for _, op := range item.Operations() {
			ops = append(ops, op.OperationID)
		}
	}
	slices.Sort(ops)
	return ops, nil
}

package openapi

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestExampleTimestampsAreChecked proves that the document's timestamp
// format is enforced: a bad timestamp in an example fails validation.
func TestExampleTimestampsAreChecked(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"2019-13-27T11:45:41.724", "2019-03-27T11:45:41.724Z", "2019-02-30T11:45:41.724"} {
		data := bytes.ReplaceAll(document, []byte("2019-03-27T11:45:41.724"), []byte(bad))
		_, err := loadData(context.Background(), data)
		if err == nil || !strings.Contains(err.Error(), FormatLocalDateTime) {
			t.Errorf("example timestamp %q: err = %v, want a %s format error", bad, err, FormatLocalDateTime)
		}
	}
}

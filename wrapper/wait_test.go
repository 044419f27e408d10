package wrapper_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dnsep/dnsep/wrapper"
)

func endpointIn(status string) wrapper.Step {
	return wrapper.Reply(200, `{"endpoint":`+strings.Replace(endpointJSON, `"status":"ACTIVE"`, `"status":"`+status+`"`, 1)+`}`)
}

func ipsWith(status string) wrapper.Step {
	body := `{"ipaddresses":[{"id":"other","ip":"192.168.0.11","subnet_id":"s","status":"ACTIVE","error_info":null,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}`
	if status != "" {
		body += `,{"id":"ip1","ip":"192.168.0.10","subnet_id":"s","status":"` + status + `","error_info":null,"create_time":"2019-03-27T11:45:41.724","update_time":"2019-03-27T11:45:41.724"}`
	}
	return wrapper.Reply(200, body+`]}`)
}

var (
	notFound  = wrapper.Reply(404, `{"code":"DNS.1510","message":"Endpoint not exist."}`)
	noSuchAPI = wrapper.Reply(404, `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment.","request_id":"r1"}`)
	forbidden = wrapper.Reply(403, `{"code":"DNS.0013","message":"You do not have the permission."}`)
)

func TestWaiters(t *testing.T) {
	t.Parallel()
	type script = []wrapper.Step
	active := func(ctx context.Context, c *wrapper.Client) (string, error) {
		ep, err := c.WaitEndpointActive(ctx, "ep1", wrapper.WithPollDelay(time.Second, 4*time.Second))
		return statusOf(ep), err
	}
	deleted := func(ctx context.Context, c *wrapper.Client) (string, error) {
		ep, err := c.WaitEndpointDeleted(ctx, "ep1", wrapper.WithPollDelay(time.Second, 4*time.Second))
		return statusOf(ep), err
	}
	ipGone := func(ctx context.Context, c *wrapper.Client) (string, error) {
		ip, err := c.WaitIpaddressGone(ctx, "ep1", "ip1", wrapper.WithPollDelay(time.Second, 4*time.Second))
		if ip == nil {
			return "", err
		}
		return string(ip.Status), err
	}
	tests := []struct {
		name       string
		wait       func(context.Context, *wrapper.Client) (string, error)
		script     script
		polls      int
		elapsed    time.Duration // simulated
		wantStatus string        // of the last object seen
		wantErr    error
	}{
		{"active after two pending polls", active, script{endpointIn("PENDING_CREATE"), endpointIn("PENDING_CREATE"), endpointIn("ACTIVE")}, 3, 3 * time.Second, "ACTIVE", nil},
		{"active at once", active, script{endpointIn("ACTIVE")}, 1, 0, "ACTIVE", nil},
		{"ERROR fails fast", active, script{endpointIn("PENDING_CREATE"), endpointIn("ERROR"), endpointIn("ACTIVE")}, 2, time.Second, "ERROR", wrapper.ErrResourceFailed},
		{"404 fails fast when waiting for ACTIVE", active, script{notFound}, 1, 0, "", wrapper.ErrNotFound},
		{"403 fails fast", active, script{endpointIn("PENDING_CREATE"), forbidden}, 2, time.Second, "PENDING_CREATE", wrapper.ErrForbidden},
		{"a retryable failure is polled through", active, script{endpointIn("PENDING_CREATE"), busy, endpointIn("ACTIVE")}, 3, 3 * time.Second, "ACTIVE", nil},
		{"delays grow to the maximum", active, script{endpointIn("PENDING_CREATE"), endpointIn("PENDING_CREATE"), endpointIn("PENDING_CREATE"), endpointIn("PENDING_CREATE"), endpointIn("ACTIVE")}, 5, (1 + 2 + 4 + 4) * time.Second, "ACTIVE", nil},
		{"the deadline ends the wait with the last status", active, script{endpointIn("PENDING_CREATE")}, 5, 0, "PENDING_CREATE", context.DeadlineExceeded},
		{"deleted: 404 is success", deleted, script{endpointIn("PENDING_DELETE"), endpointIn("PENDING_DELETE"), notFound}, 3, 3 * time.Second, "PENDING_DELETE", nil},
		{"deleted: a gateway 404 is not gone", deleted, script{endpointIn("PENDING_DELETE"), noSuchAPI}, 2, time.Second, "PENDING_DELETE", wrapper.ErrNoSuchAPI},
		{"deleted: ERROR fails fast", deleted, script{endpointIn("PENDING_DELETE"), endpointIn("ERROR")}, 2, time.Second, "ERROR", wrapper.ErrResourceFailed},
		{"ip gone after PENDING_DELETE", ipGone, script{ipsWith("PENDING_DELETE"), ipsWith("")}, 2, time.Second, "PENDING_DELETE", nil},
		{"ip gone with its endpoint", ipGone, script{ipsWith("PENDING_DELETE"), notFound}, 2, time.Second, "PENDING_DELETE", nil},
		{"ip: a gateway 404 is not gone", ipGone, script{ipsWith("PENDING_DELETE"), noSuchAPI}, 2, time.Second, "PENDING_DELETE", wrapper.ErrNoSuchAPI},
		{"ip in ERROR fails fast", ipGone, script{ipsWith("ERROR")}, 1, 0, "ERROR", wrapper.ErrResourceFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				// One attempt per poll: the waiter's own loop is under test.
				c, ft := scripted(t, wrapper.WithToken(testToken), tt.script, wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxAttempts: 1}))
				ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
				defer cancel()
				start := time.Now()
				status, err := tt.wait(ctx, c)
				if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if status != tt.wantStatus {
					t.Errorf("last status %q, want %q", status, tt.wantStatus)
				}
				if tt.wantErr == context.DeadlineExceeded {
					// Polls at 0, 1, 3, 7, 11 s; the deadline at 12 s.
					if !strings.Contains(err.Error(), "last status PENDING_CREATE after 5 polls") {
						t.Errorf("error %q does not give the last status", err)
					}
					tt.elapsed = 12 * time.Second
				}
				if n := len(ft.Requests()); n != tt.polls {
					t.Errorf("%d polls, want %d", n, tt.polls)
				}
				if d := time.Since(start); d != tt.elapsed {
					t.Errorf("took %v, want %v", d, tt.elapsed)
				}
			})
		})
	}
}

func statusOf(ep *wrapper.Endpoint) string {
	if ep == nil {
		return ""
	}
	return string(ep.Status)
}

func TestWaitObserverAndBadDelays(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, _ := scripted(t, wrapper.WithToken(testToken), []wrapper.Step{endpointIn("PENDING_CREATE"), endpointIn("ACTIVE")})
		var events []wrapper.WaitEvent
		_, err := c.WaitEndpointActive(context.Background(), "ep1", wrapper.WithWaitObserver(func(e wrapper.WaitEvent) { events = append(events, e) }))
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Status != wrapper.StatusPendingCreate || events[1].Status != wrapper.StatusActive || events[1].Poll != 2 || events[1].Elapsed != time.Second {
			t.Errorf("events %+v", events)
		}
		_, err = c.WaitEndpointActive(context.Background(), "ep1", wrapper.WithPollDelay(0, time.Second))
		if !errors.Is(err, wrapper.ErrInvalidArgument) {
			t.Errorf("zero min delay: err = %v", err)
		}
	})
}

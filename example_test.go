package titan_test

import (
	"errors"
	"fmt"

	"github.com/titanscrape/titan"
)

func ExampleParseTask() {
	task, err := titan.ParseTask([]byte(`
name: desk prices
execution_type: scheduled
schedule: "0 6 * * *"
urls: [https://shop.example/desk]
output_schema:
  type: object
  properties:
    price: {type: number, x-selector: span.price}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(task.Name, task.ExecutionType, task.Steps()[0].ActionType, task.Validate())
	// Output: desk prices scheduled scrape <nil>
}

func ExampleTask_Validate() {
	task := &titan.Task{
		Name:          "broken",
		URLs:          []string{"https://shop.example/", "shop.example/desk"},
		ExecutionType: titan.ExecutionScheduled,
		Schedule:      "every day",
	}
	var ve *titan.ValidationError
	if errors.As(task.Validate(), &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s: %s\n", p.Field, p.Problem)
		}
	}
	// Output:
	// schedule: invalid cron spec "every day": expected 5 to 6 fields, found 2: [every day]
	// urls[1]: invalid URL "shop.example/desk": scheme must be http or https
}

func ExampleExecutionStatus_CanTransition() {
	fmt.Println(titan.StatusRunning.CanTransition(titan.StatusPaused))
	fmt.Println(titan.StatusCompleted.CanTransition(titan.StatusRunning))
	// Output:
	// true
	// false
}

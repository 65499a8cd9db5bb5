-- wrk script: one interview step (the answers so far -> the next question), as JSON.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"age_months": 24, "sex": "male", "lang": "ko", "present": ["cough", "fast_breathing", "fever"], "absent": ["chest_indrawing"]}'

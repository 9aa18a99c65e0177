-- worker-list: no parameters.
SELECT * FROM workers ORDER BY name, id

select * from thelook_ecommerce.orders
